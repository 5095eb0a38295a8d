import { useIpcMutation, useTokenJobProgress } from '../../api/hooks';

/**
 * A scheduled Check all running in main (Settings, docs/health.md "Schedule"): said above the list, with a
 * way to stop it. A job the window started shows in its own dialog instead.
 */
export function ScheduledCheckNotice() {
  const progress = useTokenJobProgress();
  const cancel = useIpcMutation('cancelTokenJob');
  if (!progress || progress.finished || progress.trigger !== 'schedule') return null;
  return (
    <div className="row" role="status" data-testid="scheduled-check">
      <span>
        Scheduled check of every token: {progress.done} of {progress.total} done…
      </span>
      <button
        type="button"
        className="btn btn--ghost"
        disabled={cancel.isPending}
        onClick={() => cancel.mutate({ jobId: progress.jobId })}
      >
        Stop the check
      </button>
    </div>
  );
}
