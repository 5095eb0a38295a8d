import { type ZohoOperation, zohoError } from './errors';

export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Whole-request budget (connect, answer and body), default 15,000 ms. */
  readonly timeoutMs?: number;
  /** Swappable for tests; default global fetch. */
  readonly fetch?: FetchLike;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface HttpAnswer {
  readonly status: number;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
  readonly latencyMs: number;
}

/**
 * One HTTP exchange with a timeout, which the caller's `cancel` signal can end early (a cancelled
 * sign-in stops its code exchange instead of letting it finish unseen). Transport failures become
 * ZohoError NETWORK, TIMEOUT or CANCELLED; the underlying error is not attached, because its text may
 * quote the URL (the revoke URL holds a token).
 */
export async function httpExchange(
  url: URL,
  init: RequestInit,
  operation: ZohoOperation,
  options: HttpOptions,
  cancel?: AbortSignal,
): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? ((u: URL, i: RequestInit) => fetch(u, i));
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  try {
    const res = await doFetch(url, { ...init, signal, redirect: 'manual' });
    // The signal also bounds reading the body, so a server that stalls mid-body still times out.
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    if (cancel?.aborted) throw zohoError('CANCELLED', { operation, latencyMs });
    if (timeout.aborted) throw zohoError('TIMEOUT', { operation, latencyMs });
    throw zohoError('NETWORK', { operation, latencyMs, ...causeCodeOf(e) });
  }
}

/** Node's fetch wraps socket errors: `TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })`. */
function causeCodeOf(e: unknown): { causeCode?: string } {
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
    return { causeCode: cause.code };
  }
  return {};
}
