import { randomUUID } from 'node:crypto';
import type {
  TokenJobAction,
  TokenJobOutcome,
  TokenJobProgress,
  TokenJobResult,
  TokenJobTrigger,
} from '../../shared/ipc/token-jobs';
import type { DeleteResult, TestCallResult, TokenView } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import { type Clock, type ScheduleTimer, systemClock, systemTimer } from '../common/clock';
import { ServiceError } from '../tokens/errors';
import type { DeleteOptions } from '../tokens/token-removal';
import {
  cancelledOutcome,
  countOutcomes,
  deleteOutcome,
  failedOutcome,
  goneOutcome,
  jobAuditWords,
  outcomesCsv,
  refreshOutcome,
  skipped,
  testOutcome,
} from './job-outcomes';
import { runPaced } from './paced-run';
import { RefreshBudget } from './refresh-budget';

/** What a job needs of a token source's service (TokenService, for the local store or any source). */
export interface JobTokenService {
  list(): Promise<TokenView[]>;
  testCall(id: string): Promise<TestCallResult>;
  refreshNow(id: string): Promise<TokenView>;
  delete(id: string, options: DeleteOptions): Promise<DeleteResult>;
}

/**
 * Pacing (docs/health.md "Pacing"). Tests and refreshes: 2 in flight, 250 ms between starts. A test is two
 * CRM calls (CurrentUser, org) and Zoho CRM allows 5 concurrent calls per org on its smallest edition,
 * shared with the org's integrations; deletes revoke at the accounts server, 4 at once as Clear all does.
 */
export const JOB_PACING: Readonly<Record<TokenJobAction, { concurrency: number; spacingMs: number }>> = {
  check: { concurrency: 2, spacingMs: 250 },
  test: { concurrency: 2, spacingMs: 250 },
  refresh: { concurrency: 2, spacingMs: 250 },
  delete: { concurrency: 4, spacingMs: 0 },
};
/** Progress is an IPC event to every window: at most this often, as Clear all's. */
export const JOB_PROGRESS_INTERVAL_MS = 100;

export interface TokenJobsDeps {
  readonly clock?: Clock;
  readonly timer?: ScheduleTimer;
  readonly onProgress: (progress: TokenJobProgress) => void;
  /** Writes the job's audit row; returns words when the write failed (AuditTrail.record). */
  readonly audit: (entry: AuditRecord) => string | null | undefined;
  readonly pacing?: Partial<typeof JOB_PACING>;
  readonly budget?: RefreshBudget;
}

export interface TokenJobRequest {
  readonly action: TokenJobAction;
  /** Absent for `check`: every stored token. */
  readonly ids?: readonly string[];
  readonly trigger: TokenJobTrigger;
  readonly service: JobTokenService;
  readonly delete?: DeleteOptions;
  /** Given the list as it stands after the job (the attention signals watch the local store's). */
  readonly observe?: (after: readonly TokenView[]) => void;
}

/** Statuses a check (or bulk test) does not call Zoho for, and the words that say why. */
const NOT_TESTABLE: Partial<Record<TokenView['status'], string>> = {
  unreadable: 'Unreadable row (failed its integrity check): it cannot be tested. Delete it.',
  'demo-ended': 'From a demo run that has ended: nothing answers for it any more.',
};
const REAUTH_SKIP = 'Needs re-authorisation: Zoho refused its refresh token, so it was not tested again.';

/**
 * Runs work over many tokens, one job at a time (docs/health.md): Check all, and bulk test, refresh and
 * delete. Cancellable (tokens not reached are listed as such), paced, with progress events, one outcome
 * per token and one audit row per job.
 */
export class TokenJobs {
  private readonly clock: Clock;
  private readonly timer: ScheduleTimer;
  private readonly budget: RefreshBudget;
  private running: {
    readonly jobId: string;
    readonly abort: AbortController;
    readonly action: TokenJobAction;
  } | null = null;

  constructor(private readonly deps: TokenJobsDeps) {
    this.clock = deps.clock ?? systemClock;
    this.timer = deps.timer ?? systemTimer;
    this.budget = deps.budget ?? new RefreshBudget();
  }

  get current(): { jobId: string; action: TokenJobAction } | null {
    return this.running && { jobId: this.running.jobId, action: this.running.action };
  }

  /** Stops the job (if it is `jobId`) from starting more tokens; false when no such job runs. */
  cancel(jobId: string): boolean {
    if (this.running?.jobId !== jobId) return false;
    this.running.abort.abort();
    return true;
  }

  /** The store is locking or the app closing: whatever runs stops starting tokens. */
  cancelRunning(): void {
    this.running?.abort.abort();
  }

  async run(request: TokenJobRequest): Promise<TokenJobResult> {
    if (this.running) {
      throw new ServiceError(
        'NOT_SUPPORTED',
        'Another job over many tokens is running; one runs at a time so Zoho is not asked too fast.',
        { hint: 'Wait for it to finish, or cancel it.' },
      );
    }
    const jobId = randomUUID();
    const abort = new AbortController();
    this.running = { jobId, abort, action: request.action };
    try {
      return await this.execute(jobId, abort.signal, request);
    } finally {
      this.running = null;
    }
  }

  private async execute(
    jobId: string,
    signal: AbortSignal,
    request: TokenJobRequest,
  ): Promise<TokenJobResult> {
    const { action, trigger, service } = request;
    const startedAt = this.clock.now();
    const listed = await service.list();
    const byId = new Map(listed.map((v) => [v.id, v]));
    const targets: Array<{ id: string; view: TokenView | null }> = request.ids
      ? [...new Set(request.ids)].map((id) => ({ id, view: byId.get(id) ?? null }))
      : listed.map((view) => ({ id: view.id, view }));

    let done = 0;
    let reportedAt = Number.NEGATIVE_INFINITY;
    const report = (finished: boolean) => {
      const now = this.clock.now();
      if (!finished && done > 0 && now - reportedAt < JOB_PROGRESS_INTERVAL_MS) return;
      reportedAt = now;
      this.deps.onProgress({ jobId, action, trigger, done, total: targets.length, finished });
    };
    report(false);

    const pacing = { ...JOB_PACING[action], ...this.deps.pacing?.[action] };
    const results = await runPaced(
      targets,
      { ...pacing, signal, timer: this.timer },
      async ({ id, view }) => {
        const result = view
          ? await this.one(action, view, service, request.delete)
          : goneOutcome({ id, userName: null });
        done += 1;
        report(false);
        return result;
      },
    );
    const outcomes: TokenJobOutcome[] = results.map(
      (r, i) => r ?? cancelledOutcome(targets[i]?.view ?? { id: targets[i]?.id ?? '', userName: null }),
    );
    const counts = countOutcomes(outcomes);
    const cancelled = counts.cancelled > 0;
    const warning = this.deps.audit({
      action: action === 'delete' ? 'delete' : action === 'refresh' ? 'refresh' : 'test',
      ...jobAuditWords(action, trigger, counts, cancelled),
    });
    const result: TokenJobResult = {
      jobId,
      action,
      trigger,
      startedAt,
      finishedAt: this.clock.now(),
      cancelled,
      outcomes,
      counts,
      warnings: warning ? [warning] : [],
      csv: outcomesCsv(action, outcomes),
    };
    report(true);
    if (request.observe) {
      try {
        request.observe(await service.list());
      } catch {
        // The attention signals are a courtesy: the job's result stands whatever they do.
      }
    }
    return result;
  }

  /** One token's part; never throws (every failure is an outcome). */
  private async one(
    action: TokenJobAction,
    view: TokenView,
    service: JobTokenService,
    deleteOptions: DeleteOptions | undefined,
  ): Promise<TokenJobOutcome> {
    try {
      switch (action) {
        case 'check':
        case 'test':
          return await this.test(action, view, service);
        case 'refresh': {
          const notTestable = NOT_TESTABLE[view.status];
          if (notTestable) return skipped(view, notTestable, true);
          return refreshOutcome(view, await service.refreshNow(view.id));
        }
        case 'delete': {
          const options = deleteOptions ?? { revoke: true, deleteIfRevokeFails: false };
          return deleteOutcome(view, await service.delete(view.id, options), options.revoke);
        }
      }
    } catch (error) {
      return failedOutcome(
        view,
        action === 'delete' ? 'Not deleted' : action === 'refresh' ? 'Refresh failed' : 'Not tested',
        error,
      );
    }
  }

  private async test(
    action: TokenJobAction,
    view: TokenView,
    service: JobTokenService,
  ): Promise<TokenJobOutcome> {
    const notTestable = NOT_TESTABLE[view.status];
    if (notTestable) return skipped(view, notTestable, true);
    // Check all leaves a token Zoho already refused alone; a person who picked it and asked gets the call.
    if (action === 'check' && view.status === 'reauth') return skipped(view, REAUTH_SKIP, true);
    const now = this.clock.now();
    if (view.status === 'expired' && !this.budget.canRefresh(view.id, now)) {
      return skipped(
        view,
        `Not tested now: its access token has expired and checks already refreshed it ${this.budget.used(view.id, now)} times in the last 10 minutes. Zoho allows 10 refreshes per token in 10 minutes; the apps using it need the rest.`,
        false,
      );
    }
    const result = await service.testCall(view.id);
    if (result.refreshed) this.budget.record(view.id, this.clock.now());
    return testOutcome(view, result);
  }
}
