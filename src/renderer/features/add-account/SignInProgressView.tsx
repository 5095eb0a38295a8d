import { SIGN_IN_STAGE_ORDER, type SignInProgress } from '../../../shared/ipc/views';
import { CopyButton } from '../../components/CopyButton';
import { Spinner } from '../../components/Spinner';
import { STAGE_LABELS } from './account-form';

interface Props {
  readonly progress: SignInProgress | null;
  readonly onCancel: () => void;
  readonly cancelling: boolean;
}

/**
 * "Waiting for the browser…" with the stages as words. The consent URL is shown so the user can open it
 * again by hand if the browser did not come up (the app never opens windows itself).
 */
export function SignInProgressView({ progress, onCancel, cancelling }: Props) {
  const stage = progress?.stage ?? 'starting';
  const currentIndex = SIGN_IN_STAGE_ORDER.indexOf(stage as (typeof SIGN_IN_STAGE_ORDER)[number]);
  return (
    <div className="signin-progress" data-testid="signin-progress" data-stage={stage}>
      {/* Announced by the dialog's LiveRegion (mounted before the flow starts), not from here. */}
      <div className="signin-progress__now">
        <Spinner label={STAGE_LABELS[stage]} announce={false} />
      </div>
      <ol className="stages">
        {SIGN_IN_STAGE_ORDER.slice(0, -1).map((s, i) => (
          <li
            key={s}
            className={
              i < currentIndex ? 'stage stage--done' : i === currentIndex ? 'stage stage--now' : 'stage'
            }
            aria-current={i === currentIndex ? 'step' : undefined}
          >
            {STAGE_LABELS[s].replace('…', '')}
          </li>
        ))}
      </ol>
      {stage === 'waiting-for-browser' && (
        <p className="muted">Finish signing in to Zoho in your browser. This window updates by itself.</p>
      )}
      {progress?.authUrl && (
        <div className="field">
          <span className="field__label">Browser did not open? Copy this address into it:</span>
          <div className="field__control">
            <input
              className="input mono"
              readOnly
              value={progress.authUrl}
              aria-label="Sign-in address"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={progress.authUrl} label="Copy sign-in address" testId="copy-auth-url" />
          </div>
        </div>
      )}
      {progress?.message && <p className="muted">{progress.message}</p>}
      <div className="dialog__actions">
        <button
          type="button"
          className="btn"
          onClick={onCancel}
          disabled={cancelling}
          data-testid="signin-cancel"
        >
          {cancelling ? 'Cancelling…' : 'Cancel sign-in'}
        </button>
      </div>
    </div>
  );
}
