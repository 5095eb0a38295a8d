import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type {
  ClearAllResult,
  DeleteResult,
  GrantResult,
  PendingRevokeView,
  RevokeOutcome,
  TestCallResult,
  TokenView,
} from '../../shared/ipc/views';
import type { AuditLog } from '../audit/audit-log';
import { AuditTrail } from '../audit/audit-trail';
import type { Clipboard } from '../common/clipboard';
import { type Clock, type ScheduleTimer, systemClock, systemTimer } from '../common/clock';
import { createLogger } from '../log';
import type { GrantedToken } from '../oauth/granted-token';
import type { OAuthToken } from '../store/oauth-token';
import type { ListableTokenStore } from '../store/token-store';
import type { ZohoFor } from '../zoho';
import { MemoryPendingRevokeStore, type PendingRevokeStore } from './pending-revoke-store';
import { PendingRevokes } from './pending-revokes';
import type { ServiceContext } from './service-context';
import { KeyedMutex } from './single-flight';
import {
  type GrantMethod,
  type GrantOutcome,
  type GrantSource,
  obtainAndSave,
  saveGranted,
} from './token-grants';
import type { TokenNotes } from './token-notes';
import { type ReauthFlow, reauthorise } from './token-reauthorise';
import { DEFAULT_THROTTLE_BACKOFF_MS, TokenRefresher } from './token-refresher';
import { type ClearAllOptions, clearAll, type DeleteOptions, deleteOne } from './token-removal';
import { runTestCall } from './token-test-call';
import { EXPIRING_WINDOW_MS, entryToView, toTokenView } from './token-view';
import { consoleUserName } from './user-name';

const log = createLogger('service.tokens');

export interface TokenServiceDeps {
  readonly store: ListableTokenStore;
  readonly zoho: ZohoFor;
  readonly audit: AuditLog;
  readonly notes: TokenNotes;
  readonly clipboard: Clipboard;
  /** Where the store keeps its tokens, when it is not this computer's store (ServiceContext.place). */
  readonly place?: string;
  readonly clock?: Clock;
  readonly onChanged?: (reason: string) => void;
  /** Default 5 minutes. */
  readonly expiringWindowMs?: number;
  /** Default 60 s. */
  readonly throttleBackoffMs?: number;
  /** Default: setTimeout. Tests pass a manual one. */
  readonly timer?: ScheduleTimer;
  /** Default CLIPBOARD_CLEAR_MS. */
  readonly clipboardClearMs?: number;
  /**
   * Where refresh tokens waiting for their revoke are kept (the app: SqlitePendingRevokeStore, sealed in
   * the token store's file). Default: memory.
   */
  readonly pendingRevokes?: PendingRevokeStore;
}

/** How long a copied access token stays on the clipboard, unless something else replaced it. */
export const CLIPBOARD_CLEAR_MS = 60_000;

/**
 * Everything the console does to stored tokens (docs/architecture.md "Token rules"). Each method reads the store,
 * talks to Zoho through the Zoho port (`ZohoFor`), writes an audit row, and calls `onChanged` after a mutation. What it
 * returns to the renderer is a masked TokenView, never a raw secret.
 */
export class TokenService {
  private readonly ctx: ServiceContext;
  private readonly refresher: TokenRefresher;
  private readonly clipboard: Clipboard;
  private readonly timer: ScheduleTimer;
  private readonly clipboardClearMs: number;
  /** The pending clear of the last copied token: its text, and the timer's cancel. */
  private pendingClear: { readonly text: string; readonly cancel: () => void } | null = null;
  private readonly expiringWindowMs: number;

  constructor(deps: TokenServiceDeps) {
    const clock = deps.clock ?? systemClock;
    const onChanged = deps.onChanged ?? (() => {});
    const audit = new AuditTrail(deps.audit, () => clock.now());
    this.timer = deps.timer ?? systemTimer;
    const pending = new PendingRevokes(
      { zoho: deps.zoho, store: deps.store, audit, clock, timer: this.timer, onChanged },
      deps.pendingRevokes ?? new MemoryPendingRevokeStore(),
    );
    this.ctx = {
      store: deps.store,
      zoho: deps.zoho,
      audit,
      notes: deps.notes,
      clock,
      pending,
      locks: new KeyedMutex(),
      onChanged,
      place: deps.place,
    };
    // Tokens left waiting by an earlier run are retried as their back-off allows.
    pending.schedule();
    this.clipboard = deps.clipboard;
    this.clipboardClearMs = deps.clipboardClearMs ?? CLIPBOARD_CLEAR_MS;
    this.expiringWindowMs = deps.expiringWindowMs ?? EXPIRING_WINDOW_MS;
    this.refresher = new TokenRefresher(this.ctx, deps.throttleBackoffMs ?? DEFAULT_THROTTLE_BACKOFF_MS);
  }

  /**
   * One store read and one notes read, whatever the count (10,000 tokens list in one pass). A store that
   * lists without secrets (masked previews beside the envelope) decrypts nothing; the others give
   * read-only entries, rows unchanged since the last list straight from their cache.
   */
  async list(): Promise<TokenView[]> {
    const store = this.ctx.store;
    const entries = store.listWithoutSecrets ? await store.listWithoutSecrets() : await store.readEntries();
    const notes = this.ctx.notes.all();
    const now = this.ctx.clock.now();
    return entries.map((entry) => entryToView(entry, notes, now, this.expiringWindowMs));
  }

  /** The stored token with at least 5,000 ms of access-token life left (refreshing once, shared, if needed). */
  async getValidAccessToken(id: string): Promise<OAuthToken> {
    return (await this.refresher.getValid(id)).token;
  }

  async refreshNow(id: string): Promise<TokenView> {
    return this.toView((await this.refresher.refresh(id, true)).token);
  }

  testCall(id: string): Promise<TestCallResult> {
    return runTestCall(this.ctx, this.refresher, id);
  }

  /**
   * Puts a valid access token on the clipboard (in main; the renderer never sees it). Audited. After
   * `clipboardClearMs` the clipboard is cleared if it still holds that token, so it does not sit there to
   * be pasted (or read by any app) long after it was needed; something the user copied since is left.
   */
  async copyAccessToken(id: string): Promise<{ copied: true; expiresAt: number | null; warnings: string[] }> {
    const token = await this.getValidAccessToken(id);
    const text = token.accessToken ?? '';
    await this.clipboard.writeText(text);
    this.scheduleClipboardClear(text);
    const expiresAt = token.expiryTime === null ? null : Number(token.expiryTime);
    const seconds = Math.round(this.clipboardClearMs / 1000);
    // The token is on the clipboard now: a failed audit write is reported beside that, never instead.
    const auditProblem = this.ctx.audit.record({
      action: 'copy',
      outcome: 'success',
      tokenId: id,
      userName: token.userName,
      detail: `Access token copied to the clipboard, to be cleared from it in ${seconds} s${expiresAt ? `; it expires at ${new Date(expiresAt).toISOString()}` : ''}.`,
    });
    return { copied: true, expiresAt, warnings: auditProblem === null ? [] : [auditProblem] };
  }

  /** Clears a copied token still on the clipboard now, rather than when its timer fires (the app closes). */
  async close(): Promise<void> {
    this.ctx.pending.close();
    const pending = this.pendingClear;
    if (!pending) return;
    pending.cancel();
    await this.clearClipboardIfStill(pending.text);
  }

  private scheduleClipboardClear(text: string): void {
    // Only the latest copy is pending: an earlier token still there is replaced by this one already.
    this.pendingClear?.cancel();
    this.pendingClear = null;
    if (text === '') return;
    const cancel = this.timer(this.clipboardClearMs, () => void this.clearClipboardIfStill(text));
    this.pendingClear = { text, cancel };
  }

  private async clearClipboardIfStill(text: string): Promise<void> {
    if (this.pendingClear?.text === text) this.pendingClear = null;
    try {
      if ((await this.clipboard.readText()) === text) this.clipboard.clear();
    } catch (error) {
      // The clipboard can be unavailable (e.g. a locked session); the message names no clipboard content.
      log.warn('Could not clear the copied access token from the clipboard', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  async delete(id: string, options: DeleteOptions): Promise<DeleteResult> {
    const result = await deleteOne(this.ctx, id, options);
    if (result.deleted) this.refresher.forget(id);
    return result;
  }

  clearAll(options: ClearAllOptions): Promise<ClearAllResult> {
    return clearAll(this.ctx, options);
  }

  async saveGranted(granted: GrantedToken, source: GrantSource = 'grant'): Promise<GrantResult> {
    return this.toGrantResult(await saveGranted(this.ctx, granted, source));
  }

  /**
   * A sign-in (browser or Self Client) or an import: runs `obtain`, saves its token; a failure, a
   * cancelled sign-in included, is audited and rethrown.
   */
  async signIn(method: GrantMethod, obtain: () => Promise<GrantedToken>): Promise<GrantResult> {
    return this.toGrantResult(await obtainAndSave(this.ctx, method, obtain));
  }

  async reauthorise(id: string, flow: ReauthFlow): Promise<GrantResult> {
    const outcome = await reauthorise(this.ctx, id, flow);
    this.refresher.forget(id);
    return this.toGrantResult(outcome);
  }

  /**
   * Users already connected with this client, data center and environment (as the console names them),
   * so the user is told before a sign-in that signing in as one of them replaces its token.
   */
  async connectedAccounts(query: {
    clientId: string;
    dataCenter: DataCenterId;
    environment: ZohoEnvironment;
  }): Promise<string[]> {
    const names = new Set<string>();
    for (const entry of await this.ctx.store.readEntries()) {
      const row = entry.ok ? entry.token : entry;
      if (row.clientId !== query.clientId || row.dataCenter !== query.dataCenter) continue;
      if (row.environment !== query.environment) continue;
      const name = consoleUserName(row.userName);
      if (name) names.add(name);
    }
    return [...names].sort();
  }

  listPendingRevokes(): PendingRevokeView[] {
    return this.ctx.pending.list();
  }

  async retryPendingRevoke(id: string): Promise<{ id: string; revoke: RevokeOutcome; resolved: boolean }> {
    const result = await this.ctx.pending.retry(id);
    this.ctx.onChanged('pending-revoke');
    return result;
  }

  /**
   * A refresh token Zoho issued that no row will hold and whose revoke just failed (a sign-in that did
   * not finish): kept as a pending revoke, retried like the others.
   */
  keepUnrevoked(
    token: OAuthToken,
    reason: string,
    failed: Extract<RevokeOutcome, { state: 'failed' }>,
  ): void {
    const held = this.ctx.pending.hold(token, reason);
    this.ctx.pending.settle(held.id, failed);
    this.ctx.audit.record({
      action: 'revoke',
      outcome: 'failure',
      tokenId: null,
      userName: token.userName,
      detail: `Token ${reason}: Zoho did not confirm its revoke (${failed.message.replace(/\.$/, '')}); kept as a pending revoke and retried.`,
    });
    this.ctx.onChanged('pending-revoke');
  }

  /** Whether `refreshToken` waits as a pending revoke (the fault-injection tier's "held" check). */
  holdsPendingRevoke(refreshToken: string): boolean {
    return this.ctx.pending.holds(refreshToken);
  }

  /** Runs every pending revoke that is due now (what the timer does; tests call it directly). */
  retryDuePendingRevokes(): Promise<void> {
    return this.ctx.pending.retryDue();
  }

  /** Audit entries that could not be written yet (disk full, database busy) and wait in memory. */
  get unwrittenAuditEntries(): number {
    return this.ctx.audit.queued;
  }

  private toGrantResult(outcome: GrantOutcome): GrantResult {
    return { ...this.toView(outcome.token), replaced: outcome.replaced, warnings: outcome.warnings };
  }

  private toView(token: OAuthToken): TokenView {
    return toTokenView(
      token,
      this.ctx.notes.get(token.id ?? ''),
      this.ctx.clock.now(),
      this.expiringWindowMs,
    );
  }
}
