import { useEffect, useState } from 'react';
import type { IpcEventPayload } from '../../../shared/ipc/contract';
import {
  PLAINTEXT_CONFIRMATION,
  type SourceView,
  type TransferResultView,
} from '../../../shared/ipc/sources';
import { subscribe } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { LabelledCheckbox } from '../../components/LabelledCheckbox';

/**
 * Import every token of a source into this computer (copy or move), or export this computer's tokens to
 * it: progress while it runs, then what happened to each token. Writing secrets into a plaintext source
 * needs the person to type PLAINTEXT.
 */
export function TransferPanel({
  source,
  tokenCount,
  onDone,
}: {
  source: SourceView;
  tokenCount: number;
  onDone: () => void;
}) {
  const transfer = useIpcMutation('transferTokens');
  const [move, setMove] = useState(false);
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<TransferResultView | null>(null);
  const [progress, setProgress] = useState<IpcEventPayload<'sources.transferProgress'> | null>(null);
  useEffect(() => subscribe('sources.transferProgress', setProgress), []);
  const run = (request: Parameters<typeof transfer.mutate>[0]) => {
    setResult(null);
    setProgress(null);
    transfer.mutate(request, {
      onSuccess: (r) => {
        setResult(r);
        onDone();
      },
    });
  };

  return (
    <div className="stacked" data-testid="transfer-panel">
      <h3 className="card__title">Import and export</h3>
      <div className="row">
        <LabelledCheckbox
          id={`transfer-move-${source.id}`}
          label="Move (delete from the source once the copy is saved and checked)"
          checked={move}
          onCheckedChange={(v) => setMove(v === true)}
        />
        <button
          type="button"
          className="btn"
          disabled={transfer.isPending || tokenCount === 0}
          onClick={() => run({ fromSourceId: source.id, toSourceId: 'local', move })}
        >
          Import all {tokenCount} into this computer
        </button>
      </div>
      <p className="warn-text">
        {source.displayName} keeps secrets in plaintext: anyone who can read it can use them. Type{' '}
        {PLAINTEXT_CONFIRMATION} to export this computer's tokens there.
      </p>
      <div className="row">
        <input
          className="input"
          aria-label={`Type ${PLAINTEXT_CONFIRMATION} to confirm the export`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
        <button
          type="button"
          className="btn btn--danger"
          disabled={transfer.isPending || typed !== PLAINTEXT_CONFIRMATION}
          onClick={() =>
            run({ fromSourceId: 'local', toSourceId: source.id, confirmation: PLAINTEXT_CONFIRMATION })
          }
        >
          Export this computer's tokens
        </button>
      </div>
      {transfer.isPending && (
        <p role="status">{progress ? `Working: ${progress.done} of ${progress.total}…` : 'Working…'}</p>
      )}
      {transfer.error && <InlineError error={transfer.error} />}
      {result && (
        <div role="status" data-testid="transfer-result">
          <p>
            {result.copied} copied, {result.moved} moved, {result.failed} failed.
          </p>
          <ul>
            {result.outcomes.map((o) => (
              <li key={o.id}>
                {o.userName ?? o.id}: {o.state}
                {o.message ? ` — ${o.message}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
