import type {
  IpcError,
  IpcEventName,
  IpcEventPayload,
  IpcMethod,
  IpcRequest,
  IpcResponse,
  IpcResult,
  TokenDeskApi,
} from '../../shared/ipc/contract';
import { decodeTokenList } from '../../shared/ipc/token-list';
import type { TokenView } from '../../shared/ipc/views';
import { explainError } from './error-messages';
import type { ListedToken } from './listed-token';

/**
 * An IPC failure as a thrown error, so TanStack Query's `error` state carries the code, the plain message
 * and the hint main sent.
 */
export class IpcCallError extends Error {
  readonly code: string;
  readonly hint: string | null;
  readonly method: IpcMethod | null;

  constructor(error: IpcError, method: IpcMethod | null = null) {
    const explained = explainError(error);
    super(explained.message);
    this.name = 'IpcCallError';
    this.code = explained.code;
    this.hint = explained.hint;
    this.method = method;
  }
}

/**
 * The bridge preload exposes. Read through a local type instead of a global `Window` augmentation so the
 * renderer type-checks whether or not preload's own declaration is present, and never collides with it.
 */
export function getBridge(): TokenDeskApi | undefined {
  return (globalThis as { tokendesk?: TokenDeskApi }).tokendesk;
}

function bridge(): TokenDeskApi {
  const api = getBridge();
  if (!api) throw new IpcCallError({ code: 'NO_BRIDGE', message: '' });
  return api;
}

/** Calls one channel and returns its value, or throws `IpcCallError`. */
export async function call<M extends IpcMethod>(method: M, request: IpcRequest<M>): Promise<IpcResponse<M>> {
  // The mapped type loses the link between M and its function; this cast restores it at one place.
  const fn = bridge()[method] as unknown as (req: IpcRequest<M>) => Promise<IpcResult<IpcResponse<M>>>;
  const result = await fn(request);
  if (!result.ok) throw new IpcCallError(result.error, method);
  return result.value;
}

/**
 * The token list as TokenViews. Main answers `listTokens` in the compact wire form
 * (src/shared/ipc/token-list.ts, checked by main's router); this is the one place it is decoded, so
 * every component keeps working with `TokenView[]`.
 */
export async function listTokens(): Promise<TokenView[]> {
  return decodeTokenList(await call('listTokens', {}));
}

/**
 * The tokens of one configured token source (docs/sources.md), each row marked with its source so that
 * every action on it goes back there.
 */
export async function listSourceTokens(sourceId: string): Promise<ListedToken[]> {
  const tokens = decodeTokenList(await call('listTokens', { sourceId }));
  return tokens.map((t) => ({ ...t, sourceId }));
}

export function subscribe<E extends IpcEventName>(
  event: E,
  listener: (payload: IpcEventPayload<E>) => void,
): () => void {
  const api = getBridge();
  if (!api) return () => {};
  return api.on(event, listener);
}

/** Any thrown value as plain words and an optional hint, for toasts and inline errors. */
export function toUserError(error: unknown): { code: string; message: string; hint: string | null } {
  if (error instanceof IpcCallError) return { code: error.code, message: error.message, hint: error.hint };
  if (error instanceof Error) return explainError({ code: 'INTERNAL', message: error.message });
  return explainError({ code: 'INTERNAL', message: '' });
}
