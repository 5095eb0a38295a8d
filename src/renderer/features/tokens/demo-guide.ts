import type { TokenView } from '../../../shared/ipc/views';

/**
 * The demo walkthrough (issue: "walks a newcomer through adding an account, testing a call and revoking
 * it"), as data. Each step is derived from what the app already knows, so it ticks off however the person
 * did it (row menu, details panel, keyboard) and stays ticked after a restart:
 * - added: a token is listed (or a later step is done: nothing can be tested or revoked before it exists);
 * - tested: a listed token's last test passed, or the audit log has a successful test call;
 * - revoked: the audit log has a successful revoke (Delete with "Also revoke at Zoho", or Clear all).
 */
export type DemoStepId = 'add' | 'test' | 'revoke';

export interface DemoFacts {
  readonly tokens: readonly TokenView[];
  readonly auditHasTest: boolean;
  readonly auditHasRevoke: boolean;
}

export interface DemoStep {
  readonly id: DemoStepId;
  readonly title: string;
  readonly done: boolean;
}

export interface DemoProgress {
  readonly steps: readonly DemoStep[];
  /** The first step not done yet, or null when all are. */
  readonly current: DemoStepId | null;
  readonly complete: boolean;
}

export const DEMO_STEP_TITLES: Readonly<Record<DemoStepId, string>> = {
  add: 'Add an account',
  test: 'Test a CRM call',
  revoke: 'Revoke it',
};

export function demoProgress(facts: DemoFacts): DemoProgress {
  const tested = facts.tokens.some((t) => t.lastTest?.ok === true) || facts.auditHasTest;
  const revoked = facts.auditHasRevoke;
  const added = facts.tokens.length > 0 || tested || revoked;
  const steps: DemoStep[] = [
    { id: 'add', title: DEMO_STEP_TITLES.add, done: added },
    { id: 'test', title: DEMO_STEP_TITLES.test, done: tested },
    { id: 'revoke', title: DEMO_STEP_TITLES.revoke, done: revoked },
  ];
  const current = steps.find((s) => !s.done)?.id ?? null;
  return { steps, current, complete: current === null };
}

/**
 * The token the guide's buttons act on: the most recently added one that can be tested and revoked
 * (an unreadable row can do neither). Null when there is none.
 */
export function demoSubject(tokens: readonly TokenView[]): TokenView | null {
  let best: TokenView | null = null;
  for (const t of tokens) {
    if (t.status === 'unreadable') continue;
    if (best === null || (t.createdAt ?? 0) > (best.createdAt ?? 0)) best = t;
  }
  return best;
}

const DISMISS_KEY = 'tokendesk.demoGuide.dismissed';

/** Dismissal survives a restart; storage can be unavailable (then the guide simply shows again). */
export function readGuideDismissed(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  try {
    return storage?.getItem(DISMISS_KEY) === '1';
  } catch {
    return false;
  }
}

export function writeGuideDismissed(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
  on: boolean,
) {
  try {
    if (on) storage?.setItem(DISMISS_KEY, '1');
    else storage?.removeItem(DISMISS_KEY);
  } catch {
    // Private mode or a full disk: the guide comes back next time, which is harmless.
  }
}
