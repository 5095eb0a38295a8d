import type { TokenView } from '../../shared/ipc/views';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { Clock, ScheduleTimer } from '../common/clock';
import type { SettingsStore } from '../common/settings';
import { errorCodeOf } from '../errors';
import type { IpcHandlers } from '../ipc/router';
import { createLogger } from '../log';
import { AttentionMonitor, type AttentionSignals, noAttentionSignals } from '../token-jobs/attention';
import { HealthSchedule } from '../token-jobs/health-schedule';
import { type JobTokenService, TokenJobs } from '../token-jobs/token-jobs';
import { tokenListCsv } from '../token-jobs/token-list-csv';
import { describeWriteFailure } from '../tokens/write-failure';
import type { Notify } from './core-deps';

const log = createLogger('app.token-jobs');

export interface TokenJobHandlerDeps {
  /** The service of a token source (the encrypted store when none). */
  readonly serviceFor: (sourceId: string | undefined) => Promise<JobTokenService>;
  /**
   * Throws unless a revoke-and-delete may run in the source (not for a read-only team member; no "delete
   * anyway" outside this computer's store): checked before a bulk delete touches Zoho, as for one delete.
   */
  readonly assertMayDelete: (sourceId: string | undefined, deleteIfRevokeFails: boolean) => Promise<void>;
  /** The open store's audit log (throws LOCKED when locked). */
  readonly auditLog: () => AuditLog;
  /** Runs store work so a lock waits for it (scheduled checks come from no IPC request). */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
  readonly isUnlocked: () => boolean;
  readonly notify: Notify;
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly timer: ScheduleTimer;
  /** OS notification and badge (the Electron edge); absent: none. */
  readonly signals?: AttentionSignals;
}

type JobHandlers = Pick<IpcHandlers, 'checkAllTokens' | 'runTokenJob' | 'cancelTokenJob' | 'exportTokenList'>;

export interface TokenJobsPart {
  readonly handlers: JobHandlers;
  /** The local store's list as main just built it: keeps the badge and notifications current. */
  observeList(views: readonly TokenView[]): void;
  /** The store is about to lock: the running job stops starting tokens, the badge goes. */
  locking(): void;
  close(): void;
  settingsChanged(): void;
}

/**
 * Check all, the bulk actions, the list export and the check schedule (docs/health.md): the state they
 * share (the one running job, the schedule, the attention monitor), their IPC handlers
 * (handlers/token-job-handlers.ts answers with these), and the hooks the core calls on lock, settings
 * changes and close.
 */
export function createTokenJobsPart(deps: TokenJobHandlerDeps): TokenJobsPart {
  const monitor = new AttentionMonitor(deps.signals ?? noAttentionSignals);
  const audit = (entry: AuditRecord): string | null => {
    try {
      deps.auditLog().record(entry);
      return null;
    } catch (error) {
      return `the audit entry could not be written: ${describeWriteFailure(error)}`;
    }
  };
  const isLocal = (sourceId: string | undefined) => sourceId === undefined || sourceId === 'local';
  const observe = (sourceId: string | undefined) =>
    isLocal(sourceId) ? { observe: (after: readonly TokenView[]) => monitor.observe(after) } : {};
  const jobs = new TokenJobs({
    clock: deps.clock,
    timer: deps.timer,
    onProgress: (progress) => deps.notify('tokens.jobProgress', progress),
    audit,
  });
  const schedule = new HealthSchedule({
    timer: deps.timer,
    hours: () => deps.settings.get().healthCheckHours,
    run: async () => {
      // A check already running (or a locked store) covers this turn; the next comes `hours` later.
      if (!deps.isUnlocked() || jobs.current) return;
      try {
        const service = await deps.serviceFor(undefined);
        await deps.track(() =>
          jobs.run({ action: 'check', trigger: 'schedule', service, ...observe(undefined) }),
        );
      } catch (error) {
        log.warn('the scheduled check did not run', { errorCode: errorCodeOf(error) ?? 'UNEXPECTED' });
      }
    },
  });

  // Counting starts now; a turn that finds the store locked is skipped (the schedule's `run` above).
  schedule.start();

  const handlers: JobHandlers = {
    async checkAllTokens(req) {
      const service = await deps.serviceFor(req.sourceId);
      return jobs.run({ action: 'check', trigger: 'manual', service, ...observe(req.sourceId) });
    },
    async runTokenJob(req) {
      if (req.action === 'delete') await deps.assertMayDelete(req.sourceId, req.deleteIfRevokeFails);
      const service = await deps.serviceFor(req.sourceId);
      return jobs.run({
        ...observe(req.sourceId),
        action: req.action,
        ids: req.ids,
        trigger: 'manual',
        service,
        delete: { revoke: req.revoke, deleteIfRevokeFails: req.deleteIfRevokeFails },
      });
    },
    cancelTokenJob: async (req) => ({ cancelled: jobs.cancel(req.jobId) }),
    async exportTokenList(req) {
      const all = await (await deps.serviceFor(req.sourceId)).list();
      const wanted = req.ids ? new Set(req.ids) : null;
      const views = wanted ? all.filter((v) => wanted.has(v.id)) : all;
      const csv = tokenListCsv(views);
      audit({
        action: 'export',
        outcome: 'success',
        detail: `Token list exported as CSV: ${views.length} ${views.length === 1 ? 'token' : 'tokens'} (names, status and dates; no secrets).`,
      });
      return { csv, count: views.length };
    },
  };

  return {
    handlers,
    observeList: (views) => monitor.observe(views),
    locking() {
      jobs.cancelRunning();
      monitor.reset();
    },
    close() {
      jobs.cancelRunning();
      schedule.stop();
    },
    settingsChanged: () => schedule.settingsChanged(),
  };
}
