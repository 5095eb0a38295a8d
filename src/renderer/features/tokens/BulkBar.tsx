import type { TokenJobAction } from '../../../shared/ipc/token-jobs';
import { toUserError } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { useToast } from '../../components/Toasts';
import { downloadText } from '../../lib/download';
import { tokensWord } from './token-job-words';

interface Props {
  /** The chosen ids that are in the list now (selection.ts drops deleted ones). */
  readonly ids: readonly string[];
  /** How many of them the filters hide: said, so nobody deletes tokens they cannot see by surprise. */
  readonly hidden: number;
  readonly onRun: (action: Exclude<TokenJobAction, 'check'>) => void;
  readonly onClear: () => void;
}

/** The token list's CSV file name: local date and time. */
export function tokenListFileName(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `tokendesk-tokens-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}.csv`;
}

/**
 * The actions on the chosen tokens (docs/health.md "Bulk actions"), shown while any is chosen: test,
 * refresh, delete (with or without revoke: the dialog asks), and the list as CSV without any secret.
 */
export function BulkBar({ ids, hidden, onRun, onClear }: Props) {
  const toast = useToast();
  const exportList = useIpcMutation('exportTokenList');
  const doExport = () =>
    exportList.mutate(
      { ids: [...ids] },
      {
        onSuccess: ({ csv, count }) => {
          const name = tokenListFileName(Date.now());
          downloadText(name, csv);
          toast({ tone: 'success', title: `Exported ${tokensWord(count)} (no secrets)`, description: name });
        },
        onError: (error) => {
          const e = toUserError(error);
          toast({ tone: 'error', title: 'Export failed', description: e.message, hint: e.hint });
        },
      },
    );
  return (
    <section className="bulk-bar" aria-label="Actions on the selected tokens" data-testid="bulk-bar">
      <p className="bulk-bar__count" aria-live="polite" data-testid="bulk-count">
        <strong>{ids.length}</strong> selected
        {hidden > 0 && <span className="muted"> ({hidden} hidden by the filters)</span>}
      </p>
      <button type="button" className="btn" onClick={() => onRun('test')} data-testid="bulk-test">
        Test
      </button>
      <button type="button" className="btn" onClick={() => onRun('refresh')} data-testid="bulk-refresh">
        Refresh
      </button>
      <button
        type="button"
        className="btn btn--danger-ghost"
        onClick={() => onRun('delete')}
        data-testid="bulk-delete"
      >
        Revoke and delete…
      </button>
      <button
        type="button"
        className="btn"
        onClick={doExport}
        disabled={exportList.isPending}
        data-testid="bulk-export"
      >
        Export CSV
      </button>
      <button type="button" className="btn btn--ghost" onClick={onClear} data-testid="bulk-clear">
        Clear selection
      </button>
    </section>
  );
}
