import { useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { useAudit } from '../../api/hooks';
import { safeInline } from '../../lib/safe-text';
import {
  type DemoProgress,
  demoProgress,
  demoSubject,
  readGuideDismissed,
  writeGuideDismissed,
} from './demo-guide';
import type { OnTokenAction, TokenAction } from './token-actions';

const storage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** The walkthrough's steps from the token list plus two one-row audit queries (kept fresh by main's pushes). */
export function useDemoProgress(tokens: readonly TokenView[]): DemoProgress {
  const tests = useAudit({ action: 'test', outcome: 'success', limit: 1 });
  const revokes = useAudit({ action: 'revoke', outcome: 'success', limit: 1 });
  return demoProgress({
    tokens,
    auditHasTest: (tests.data?.length ?? 0) > 0,
    auditHasRevoke: (revokes.data?.length ?? 0) > 0,
  });
}

/** The dismissal, remembered across restarts. */
function useGuideDismissed(): [boolean, (on: boolean) => void] {
  const [dismissed, setDismissed] = useState(() => readGuideDismissed(storage()));
  return [
    dismissed,
    (on: boolean) => {
      writeGuideDismissed(storage(), on);
      setDismissed(on);
    },
  ];
}

/** The banner's step list: done, current and to-do steps. */
function DemoSteps({ progress }: { progress: DemoProgress }) {
  return (
    <ol className="demo-steps">
      {progress.steps.map((step, i) => (
        <li
          key={step.id}
          className={`demo-step${step.done ? ' is-done' : ''}${progress.current === step.id ? ' is-now' : ''}`}
          aria-current={progress.current === step.id ? 'step' : undefined}
          data-testid={`demo-step-${step.id}`}
          data-done={step.done}
        >
          <span className="demo-step__mark" aria-hidden="true">
            {step.done ? '✓' : i + 1}
          </span>
          {step.title}
          <span className="sr-only">{step.done ? ' (done)' : ' (to do)'}</span>
        </li>
      ))}
    </ol>
  );
}

interface Props {
  readonly tokens: readonly TokenView[];
  readonly onAction: OnTokenAction;
  /** Tokens busy with an action (useTokenActions): the test button waits until its token is free. */
  readonly pending: ReadonlyMap<string, TokenAction>;
  /** Where focus goes after the guide is dismissed (it disappears from under the keyboard). */
  readonly afterDismiss: () => void;
}

/**
 * Demo mode, once the first account is in: a one-line checklist above the toolbar that carries on where
 * the empty page's walkthrough left off (test a call, then revoke it). The next step has a button that
 * does it on the newest token, so the whole walkthrough works from the keyboard; "Hide" remembers.
 */
export function DemoGuide({ tokens, onAction, pending, afterDismiss }: Props) {
  const progress = useDemoProgress(tokens);
  const [dismissed, setDismissed] = useGuideDismissed();
  if (dismissed) return null;
  const subject = demoSubject(tokens);
  const who =
    subject?.userName != null ? safeInline(subject.userName, 40) : subject ? `token ${subject.id}` : '';
  const hide = () => {
    setDismissed(true);
    afterDismiss();
  };

  return (
    <section className="demo-guide" aria-labelledby="demo-guide-title" data-testid="demo-guide">
      <h2 id="demo-guide-title" className="demo-guide__title">
        {progress.complete ? 'Demo walkthrough done' : 'Demo walkthrough'}
      </h2>
      <DemoSteps progress={progress} />
      <p className="demo-guide__next">
        {progress.complete ? (
          'You added, tested and revoked a token: that is the whole loop.'
        ) : progress.current === 'test' && subject ? (
          <>
            Next: call Zoho CRM with the new token.{' '}
            <button
              type="button"
              className="btn btn--small btn--primary"
              disabled={pending.has(subject.id)}
              onClick={() => onAction('test', subject)}
              data-testid="demo-guide-test"
            >
              Test a call as {who}
            </button>
          </>
        ) : progress.current === 'revoke' && subject ? (
          <>
            Next: Delete with “Also revoke at Zoho”, as for someone leaving.{' '}
            <button
              type="button"
              className="btn btn--small btn--primary"
              onClick={() => onAction('delete', subject)}
              data-testid="demo-guide-revoke"
            >
              Revoke {who}…
            </button>
          </>
        ) : (
          'Next: add an account.'
        )}
      </p>
      <button
        type="button"
        className="btn btn--small btn--ghost demo-guide__hide"
        onClick={hide}
        data-testid="demo-guide-hide"
      >
        {progress.complete ? 'Close walkthrough' : 'Hide walkthrough'}
      </button>
    </section>
  );
}
