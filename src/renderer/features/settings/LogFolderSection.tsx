import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';

/** Help: where the app log is. Error messages point here ("the details are in the app log"). */
export function LogFolderSection() {
  const open = useIpcMutation('openLogFolder');
  const result = open.data;
  return (
    <section className="card" aria-labelledby="help-title" data-testid="help-section">
      <h2 id="help-title" className="card__title">
        Help
      </h2>
      <p className="muted">
        TokenDesk writes what it does to a log file (secrets masked). Attach it when you report a problem.
      </p>
      <div className="form__actions">
        <button
          type="button"
          className="btn"
          onClick={() => open.mutate({})}
          disabled={open.isPending}
          data-testid="open-log-folder"
        >
          {open.isPending ? <Spinner label="Opening…" /> : 'Open log folder'}
        </button>
      </div>
      {open.isError && <InlineError error={open.error} title="The log folder could not be opened" />}
      {result && (
        <p role="status" className="small" data-testid="log-folder-result">
          {result.opened
            ? `Opened ${result.path}`
            : result.path === ''
              ? 'This session writes no log file.'
              : `Your system could not open the folder; it is ${result.path}`}
        </p>
      )}
    </section>
  );
}
