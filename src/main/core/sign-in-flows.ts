import type { IpcEventPayload } from '../../shared/ipc/contract';
import { errorCodeOf, safeMessageOf } from '../errors';
import type { SignInStage } from '../oauth';

type Progress = IpcEventPayload<'signin.progress'>;

export type ReportStage = (stage: SignInStage, authUrl: string | null, message: string | null) => void;

/**
 * Running sign-ins by flow id: one AbortController each (so `cancelSignIn` can stop the loopback wait),
 * and progress pushed to the renderer as `signin.progress`.
 */
export class SignInFlows {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly push: (progress: Progress) => void) {}

  /**
   * Runs `work` as flow `flowId`: `done` on success, `failed` or `cancelled` on error (then rethrown).
   * The flow's own stages (and the caller's `saving`) arrive through `report`. The final event is this
   * runner's alone (the flows report none), so the renderer gets exactly one, whatever step failed.
   */
  async run<R>(flowId: string, work: (signal: AbortSignal, report: ReportStage) => Promise<R>): Promise<R> {
    this.running.get(flowId)?.abort();
    const controller = new AbortController();
    this.running.set(flowId, controller);
    let authUrl: string | null = null;
    const report = (stage: SignInStage, url: string | null, message: string | null) => {
      authUrl = url ?? authUrl;
      this.push({ flowId, stage, authUrl, message });
    };
    try {
      const result = await work(controller.signal, report);
      report('done', null, null);
      return result;
    } catch (error) {
      const code = errorCodeOf(error);
      const cancelled = controller.signal.aborted || code === 'CANCELLED';
      // The error's own words when it has safe ones ("Access was declined…", "No answer came…").
      const message = cancelled
        ? code === 'CANCELLED'
          ? safeMessageOf(error, 'Sign-in was cancelled.')
          : 'Sign-in was cancelled.'
        : safeMessageOf(error, 'Sign-in failed.');
      report(cancelled ? 'cancelled' : 'failed', null, message);
      throw error;
    } finally {
      if (this.running.get(flowId) === controller) this.running.delete(flowId);
    }
  }

  cancel(flowId: string): boolean {
    const controller = this.running.get(flowId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}
