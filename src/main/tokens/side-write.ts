import { describeWriteFailure } from './write-failure';

/**
 * Runs a side-write (a note beside a token) after the operation it belongs to has happened: a failure
 * is returned as words for the user ("the token's notes could not be updated: disk full"), never
 * thrown, so it cannot turn a done operation into a reported failure (docs/failure-outcomes.md).
 */
export function sideWrite(what: string, write: () => void): string | null {
  try {
    write();
    return null;
  } catch (error) {
    return `${what} could not be written: ${describeWriteFailure(error)}`;
  }
}

/** Collects the words of failed side-writes, skipping the ones that worked. */
export function collect(warnings: string[], warning: string | null): void {
  if (warning !== null && !warnings.includes(warning)) warnings.push(warning);
}
