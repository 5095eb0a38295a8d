import type { ClearAllResult, DeleteResult, TestCallResult, TokenView } from '../../shared/ipc/views';
import { createLogger } from '../log';
import type { GrantedToken } from '../oauth/granted-token';
import type { OAuthToken } from '../store/oauth-token';
import type { ListableTokenStore } from '../store/token-store';
import type { AuditLog } from './audit-log';
import type { Clipboard } from './clipboard';
import { type Clock, type ScheduleTimer, systemClock, systemTimer } from './clock';
import type { ServiceContext } from './service-context';
import {
  type GrantMethod,
  type GrantSource,
  obtainAndSave,
  type ReauthFlow,
  reauthorise,
  saveGranted,
} from './token-grants';
import type { TokenNotes } from './token-notes';
import { DEFAULT_THROTTLE_BACKOFF_MS, TokenRefresher } from './token-refresher';
import { type ClearAllOptions, clearAll, type DeleteOptions, deleteOne } from './token-removal';
import { runTestCall } from './token-test-call';
import { EXPIRING_WINDOW_MS, entryToView, toTokenView } from './token-view';
import type { TokenZoho } from './zoho-gateway';

const log = createLogger('service.tokens');

export interface TokenServiceDeps {
  readonly store: ListableTokenStore;
  readonly zoho: TokenZoho;
  readonly audit: AuditLog;
  readonly notes: TokenNotes;
  readonly clipboard: Clipboard;
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
}

/** How long a copied access token stays on the clipboard, unless something else replaced it. */
export const CLIPBOARD_CLEAR_MS = 60_000;

/**
 * Everything the console does to stored tokens (DESIGN.md "Token rules"). Each method reads the store,
 * talks to Zoho through `TokenZoho`, writes an audit row, and calls `onChanged` after a mutation. What it
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
    this.ctx = {
      store: deps.store,
      zoho: deps.zoho,
      audit: deps.audit,
      notes: deps.notes,
      clock: deps.clock ?? systemClock,
      onChanged: deps.onChanged ?? (() => {}),
    };
    this.clipboard = deps.clipboard;
    this.timer = deps.timer ?? systemTimer;
    this.clipboardClearMs = deps.clipboardClearMs ?? CLIPBOARD_CLEAR_MS;
    this.expiringWindowMs = deps.expiringWindowMs ?? EXPIRING_WINDOW_MS;
    this.refresher = new TokenRefresher(this.ctx, deps.throttleBackoffMs ?? DEFAULT_THROTTLE_BACKOFF_MS);
  }

  /**
   * One store read and one notes read, whatever the count (10,000 tokens list in one pass). Read-only
   * entries: rows unchanged since the last list come straight from the store's cache, uncopied.
   */
  async list(): Promise<TokenView[]> {
    const [entries, notes] = [await this.ctx.store.readEntries(), this.ctx.notes.all()];
    const now = this.ctx.clock.now();
    return entries.map((entry) => entryToView(entry, notes, now, this.expiringWindowMs));
  }

  async view(id: string): Promise<TokenView> {
    return this.toView(await this.refresher.readToken(id));
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
  async copyAccessToken(id: string): Promise<{ copied: true; expiresAt: number | null }> {
    const token = await this.getValidAccessToken(id);
    const text = token.accessToken ?? '';
    await this.clipboard.writeText(text);
    this.scheduleClipboardClear(text);
    const expiresAt = token.expiryTime === null ? null : Number(token.expiryTime);
    const seconds = Math.round(this.clipboardClearMs / 1000);
    this.ctx.audit.record({
      action: 'copy',
      outcome: 'success',
      tokenId: id,
      userName: token.userName,
      detail: `Access token copied to the clipboard, to be cleared from it in ${seconds} s${expiresAt ? `; it expires at ${new Date(expiresAt).toISOString()}` : ''}.`,
    });
    return { copied: true, expiresAt };
  }

  /** Clears a copied token still on the clipboard now, rather than when its timer fires (the app closes). */
  async dispose(): Promise<void> {
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

  async saveGranted(granted: GrantedToken, source: GrantSource = 'grant'): Promise<TokenView> {
    return this.toView(await saveGranted(this.ctx, granted, source));
  }

  /**
   * A sign-in (browser or Self Client) or an import: runs `obtain`, saves its token; a failure, a
   * cancelled sign-in included, is audited and rethrown.
   */
  async signIn(method: GrantMethod, obtain: () => Promise<GrantedToken>): Promise<TokenView> {
    return this.toView(await obtainAndSave(this.ctx, method, obtain));
  }

  async reauthorise(id: string, flow: ReauthFlow): Promise<TokenView> {
    const token = await reauthorise(this.ctx, id, flow);
    this.refresher.forget(id);
    return this.toView(token);
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
