import type { AppStatus } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { EmptyState } from '../../components/EmptyState';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { useDemoProgress } from './DemoGuide';

const NO_TOKENS = [] as const;

/**
 * The empty token list: says what to do next. When the built-in Zoho simulator is available, offers to
 * start it and walks a newcomer through add → test → revoke without a Zoho account.
 */
export function DemoWelcome({ status, onAddAccount }: { status: AppStatus; onAddAccount: () => void }) {
  const startDemo = useIpcMutation('startDemo');
  const demo = status.demo;
  // After "Revoke it" the list is empty again: say the walkthrough is done instead of starting over.
  const progress = useDemoProgress(NO_TOKENS);
  const done = demo?.running === true && progress.complete;
  return (
    <EmptyState title="No Zoho accounts connected yet" testId="tokens-empty">
      <p>
        Add an account to store its OAuth tokens here. You will need a client id and secret from the{' '}
        <strong>Zoho API console</strong> (api-console.zoho.com).
      </p>
      <div className="row">
        <button type="button" className="btn btn--primary" onClick={onAddAccount} data-testid="add-account">
          Add account
        </button>
        {demo && !demo.running && (
          <button
            type="button"
            className="btn"
            disabled={startDemo.isPending}
            onClick={() => startDemo.mutate({})}
            data-testid="start-demo"
          >
            {startDemo.isPending ? (
              <Spinner label="Starting the simulator…" />
            ) : (
              'Start the built-in Zoho simulator'
            )}
          </button>
        )}
      </div>
      <InlineError error={startDemo.error} title="The simulator did not start" />
      {demo && (
        <div className="walkthrough" data-testid="demo-walkthrough">
          <h3>
            {done
              ? 'Demo walkthrough done: you added, tested and revoked a token. Add another to go again.'
              : demo.running
                ? 'Demo mode is on: try it in three steps'
                : 'No Zoho account? Try demo mode'}
          </h3>
          <ol>
            <li>
              <strong>Add an account.</strong>{' '}
              {demo.running
                ? 'The dialog is pre-filled with the simulator’s client id and secret'
                : 'Start the simulator first; the dialog is then pre-filled'}
              {demo.users.length > 0 && (
                <>
                  ; sign in as <span className="mono">{demo.users[0]}</span>
                </>
              )}
              .
            </li>
            <li>
              <strong>Test a call.</strong> Select the new row and choose “Test CRM call” to see the HTTP
              status, latency, user and organisation.
            </li>
            <li>
              <strong>Revoke it.</strong> Choose “Delete” with “Also revoke at Zoho” checked, as you would for
              someone leaving.
            </li>
          </ol>
          {demo.running && (
            <p className="muted">
              Everything here talks to a simulator on this computer; no real Zoho data is touched.
            </p>
          )}
        </div>
      )}
    </EmptyState>
  );
}
