import { redactSecrets } from '../log';

/**
 * What the app does when it cannot start or cannot close cleanly, decided here in plain Node so it is
 * tested without Electron; the edge (src/main/index.ts) only shows the dialog and exits.
 */

/** Names the step start-up is in, so a failure can say what failed. */
export class StartupSteps {
  private current = 'starting';

  get step(): string {
    return this.current;
  }

  /** Runs `work` as the step `name` ("reading the settings file"). */
  async run<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    this.current = name;
    return work();
  }
}

export interface StartupFailureReport {
  readonly title: string;
  readonly body: string;
}

const MAX_DETAIL = 400;

/**
 * The dialog for a start-up that failed at `step`: what failed, in words, the error's own message
 * (shortened, secrets masked), and where the log is. Any error is shown: this dialog is the only place a
 * person sees why the window never came.
 */
export function describeStartupFailure(
  step: string,
  error: unknown,
  logFile: string | null,
): StartupFailureReport {
  const detail = errorText(error);
  const where = logFile
    ? `The details are in the log file:\n${logFile}`
    : 'The log could not be written to a file; start TokenDesk from a terminal to see it.';
  return {
    title: 'TokenDesk could not start',
    body: `TokenDesk stopped while ${step}.\n\n${detail}\n\n${where}`,
  };
}

function errorText(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : typeof error === 'string'
        ? error
        : 'An unknown error.';
  const safe = redactSecrets(text.trim() || 'An error without a message.');
  return safe.length > MAX_DETAIL ? `${safe.slice(0, MAX_DETAIL)}…` : safe;
}

export interface StartupEdge {
  showError(report: StartupFailureReport): void;
  exit(code: number): void;
  logError(message: string, fields: Record<string, unknown>): void;
}

/**
 * Runs `start` and turns ANY failure in it (a rejected promise as much as a throw) into the dialog and an
 * exit: otherwise the process stays alive with no window, and the person sees nothing at all.
 */
export async function runStartup(
  start: (steps: StartupSteps) => Promise<void>,
  edge: StartupEdge,
  logFile: string | null,
): Promise<'started' | 'failed'> {
  const steps = new StartupSteps();
  try {
    await start(steps);
    return 'started';
  } catch (error) {
    edge.logError('failed to start', { step: steps.step, error });
    try {
      edge.showError(describeStartupFailure(steps.step, error, logFile));
    } finally {
      edge.exit(1);
    }
    return 'failed';
  }
}

/** How long quitting waits for the store to close before it exits anyway. */
export const QUIT_WATCHDOG_MS = 5_000;

export type CloseOutcome =
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'timed-out' };

/**
 * Closes with a deadline. A close that hangs (a stuck clipboard or simulator, a database another program
 * holds) must not keep the process alive after the window is gone; SQLite's WAL keeps the store
 * consistent if the process exits before the close finishes.
 */
export function closeWithin(
  close: () => Promise<void>,
  ms: number,
  timer: (ms: number, run: () => void) => () => void = defaultTimer,
): Promise<CloseOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: CloseOutcome) => {
      if (settled) return;
      settled = true;
      cancel();
      resolve(outcome);
    };
    const cancel = timer(ms, () => settle({ kind: 'timed-out' }));
    let closing: Promise<void>;
    try {
      closing = close();
    } catch (error) {
      closing = Promise.reject(error);
    }
    closing.then(
      () => settle({ kind: 'closed' }),
      (error: unknown) => settle({ kind: 'failed', error }),
    );
  });
}

function defaultTimer(ms: number, run: () => void): () => void {
  const handle = setTimeout(run, ms);
  return () => clearTimeout(handle);
}
