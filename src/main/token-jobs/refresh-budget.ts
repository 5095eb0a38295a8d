/**
 * Zoho allows 10 access-token requests per refresh token in 10 minutes, then throttles that token
 * (docs/zoho.md "Limits"). The apps that use a token need those requests more than a health check does,
 * so checks spend at most a few of them per token per window; a token over that is skipped, and says so.
 */
export const ZOHO_REFRESH_WINDOW_MS = 10 * 60_000;
export const CHECK_REFRESHES_PER_WINDOW = 3;

export class RefreshBudget {
  private readonly spent = new Map<string, number[]>();

  constructor(
    private readonly limit = CHECK_REFRESHES_PER_WINDOW,
    private readonly windowMs = ZOHO_REFRESH_WINDOW_MS,
  ) {}

  /** Refreshes checks made for `id` within the window ending at `now`. */
  used(id: string, now: number): number {
    const times = (this.spent.get(id) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.spent.delete(id);
    else this.spent.set(id, times);
    return times.length;
  }

  canRefresh(id: string, now: number): boolean {
    return this.used(id, now) < this.limit;
  }

  record(id: string, at: number): void {
    this.spent.set(id, [...(this.spent.get(id) ?? []), at]);
  }

  get perWindow(): number {
    return this.limit;
  }
}
