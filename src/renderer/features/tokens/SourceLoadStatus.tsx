import { toUserError } from '../../api/client';
import { InlineError } from '../../components/InlineError';
import { SafeText } from '../../components/SafeText';
import { Spinner } from '../../components/Spinner';
import type { SourceLoad } from './use-all-tokens';

interface Props {
  readonly loads: readonly SourceLoad[];
  readonly sourcesError: unknown;
  readonly onRetrySources: () => void;
}

/** The id of a read-only source's reason on its line: what a turned-off "Clear all" is described by. */
export function readOnlyNoteId(sourceId: string): string {
  return `source-read-only-${sourceId}`;
}

/**
 * One line per configured token source above the table: still loading, how many tokens it added, or why it
 * could not be read (with Retry). The local rows never wait for these.
 */
export function SourceLoadStatus({ loads, sourcesError, onRetrySources }: Props) {
  if (sourcesError) {
    return (
      <div className="row" data-testid="sources-load-failed">
        <InlineError error={sourcesError} title="The token sources could not be listed" />
        <button type="button" className="btn" onClick={onRetrySources}>
          Try again
        </button>
      </div>
    );
  }
  if (loads.length === 0) return null;
  return (
    <ul className="source-loads" aria-label="Token sources in this list" data-testid="source-loads">
      {loads.map((load) => (
        <li
          key={load.id}
          className="source-load"
          data-testid="source-load"
          data-state={load.state}
          data-source-id={load.id}
        >
          <strong className="source-load__name">
            <SafeText value={load.name} max={60} />
          </strong>
          {load.state === 'loading' && <Spinner label="loading…" announce={false} />}
          {load.state === 'ready' && (
            <span className="muted">
              {load.count} {load.count === 1 ? 'token' : 'tokens'}
            </span>
          )}
          {load.readOnlyReason !== null && (
            <span className="muted" id={readOnlyNoteId(load.id)} data-testid="source-load-read-only">
              {load.readOnlyReason}
            </span>
          )}
          {load.state === 'failed' && (
            <>
              <span className="danger-text" data-testid="source-load-error">
                {toUserError(load.error).message}
              </span>
              <button type="button" className="btn btn--small" onClick={load.retry}>
                Retry
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
