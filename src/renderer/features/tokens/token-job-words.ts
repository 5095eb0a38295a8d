import type { TokenJobAction, TokenJobOutcome, TokenJobResult } from '../../../shared/ipc/token-jobs';

/** Words for a job over many tokens (docs/health.md): the dialog's title, its live region, the report. */
const VERB: Readonly<Record<TokenJobAction, string>> = {
  check: 'Checking',
  test: 'Testing',
  refresh: 'Refreshing',
  delete: 'Deleting',
};
const NAME: Readonly<Record<TokenJobAction, string>> = {
  check: 'Check all',
  test: 'Test',
  refresh: 'Refresh',
  delete: 'Delete',
};

export function tokensWord(count: number): string {
  return `${count} ${count === 1 ? 'token' : 'tokens'}`;
}

export function jobTitle(
  action: TokenJobAction,
  count: number,
  phase: 'confirm' | 'running' | 'done',
): string {
  if (phase === 'done') return `${NAME[action]}: finished`;
  if (phase === 'confirm') {
    return action === 'delete' ? `Delete ${tokensWord(count)}?` : `${NAME[action]} ${tokensWord(count)}?`;
  }
  return action === 'check' ? `Checking every token (${count})` : `${VERB[action]} ${tokensWord(count)}`;
}

/** The report's counts, in order, only those that are not zero (done and failed always). */
export function jobSummary(result: TokenJobResult): Array<{ label: string; count: number; danger: boolean }> {
  const c = result.counts;
  return [
    { label: 'done', count: c.done, danger: false },
    { label: 'failed', count: c.failed, danger: c.failed > 0 },
    ...(c.kept > 0 ? [{ label: 'kept (revoke failed)', count: c.kept, danger: true }] : []),
    ...(c.skipped > 0 ? [{ label: 'skipped', count: c.skipped, danger: false }] : []),
    ...(c.cancelled > 0 ? [{ label: 'not reached (cancelled)', count: c.cancelled, danger: false }] : []),
  ];
}

/**
 * What the live region says: progress in 10% steps (main reports up to ten times a second; a screen
 * reader reading each count would lag far behind), then the summary.
 */
export function jobAnnouncement(
  action: TokenJobAction,
  progress: { done: number; total: number } | null,
  result: TokenJobResult | null,
): string {
  if (result) {
    const parts = jobSummary(result).map((p) => `${p.count} ${p.label}`);
    return `${NAME[action]} finished${result.cancelled ? ', cancelled part-way' : ''}: ${parts.join(', ')}.`;
  }
  if (!progress) return '';
  const step = progress.total > 0 ? Math.min(100, Math.floor((progress.done / progress.total) * 10) * 10) : 0;
  return `${VERB[action]} tokens: ${step}% done.`;
}

const STATE_ORDER: Readonly<Record<TokenJobOutcome['state'], number>> = {
  kept: 0,
  failed: 1,
  skipped: 2,
  cancelled: 3,
  done: 4,
};

/** What needs a person first: kept, failed, skipped, not reached, then done; the job's order within each. */
export function sortJobOutcomes(outcomes: readonly TokenJobOutcome[]): TokenJobOutcome[] {
  return outcomes
    .map((o, i) => ({ o, i }))
    .sort((a, b) => STATE_ORDER[a.o.state] - STATE_ORDER[b.o.state] || a.i - b.i)
    .map(({ o }) => o);
}

/** The report's file name: action and local date-time, no characters a file system refuses. */
export function reportFileName(action: TokenJobAction, at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
  return `tokendesk-${action}-report-${stamp}.csv`;
}
