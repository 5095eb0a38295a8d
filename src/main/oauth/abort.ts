import { cancelledError } from './errors';

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts, with `abortError()` (by default a
 * CANCELLED SignInError). A promise that fails after the abort reports the abort too: the request it
 * stood for was cut short by it. Deadlines and "cancelled or out of time" are the platform's signals
 * (`AbortSignal.timeout`, `AbortSignal.any`); this only ties a promise that takes no signal to one.
 */
export function unlessAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  abortError: () => Error = cancelledError,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? abortError() : err);
      },
    );
  });
}
