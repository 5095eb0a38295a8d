import type { AppStatus } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';

/**
 * Tokens from an earlier demo run stay in the store after the app restarts, but the simulator that issued
 * them kept them only in memory: they work nowhere, and a new run of the simulator (new ports, no memory
 * of the old tokens) does not revive them. Say so plainly, and offer a fresh demo run.
 */
export function EndedDemoNotice({
  count,
  status,
  onShowThem,
}: {
  count: number;
  status: AppStatus;
  onShowThem: () => void;
}) {
  const startDemo = useIpcMutation('startDemo');
  if (count === 0) return null;
  const demo = status.demo;
  const them = count === 1 ? 'it' : 'them';
  return (
    <section
      className="notice notice--info"
      aria-labelledby="ended-demo-title"
      data-testid="ended-demo-notice"
    >
      <h2 id="ended-demo-title" className="notice__title">
        {count === 1 ? '1 token is' : `${count} tokens are`} from an earlier demo run
      </h2>
      <p>
        The built-in Zoho simulator issued {count === 1 ? 'this token' : 'these tokens'} in a demo run that
        has ended. It keeps its tokens only while it runs, so {them} cannot be tested, refreshed or revoked,
        even after demo mode starts again. Delete {them} (there is nothing to revoke) and add a demo account
        again.
      </p>
      <div className="row">
        <button type="button" className="btn btn--small" onClick={onShowThem} data-testid="show-ended-demo">
          Show {count === 1 ? 'it' : `the ${count}`}
        </button>
        {demo && !demo.running && (
          <button
            type="button"
            className="btn btn--small"
            disabled={startDemo.isPending}
            onClick={() => startDemo.mutate({})}
            data-testid="start-demo"
          >
            {startDemo.isPending ? <Spinner label="Starting the simulator…" /> : 'Start a new demo run'}
          </button>
        )}
      </div>
      <InlineError error={startDemo.error} title="The simulator did not start" />
    </section>
  );
}
