import type { IpcMethod } from '../../../shared/ipc/contract';
import type { IpcHandlers } from '../../ipc/router';

/**
 * The handlers of one area (store, tokens, sign-in, ...): exactly the contract methods `M`, each typed by
 * the contract. A handler module returns one of these; `joinAreaHandlers` puts them together.
 */
export type AreaHandlers<M extends IpcMethod> = Pick<IpcHandlers, M>;

type AnyAreaHandlers = Partial<IpcHandlers>;

type MethodsOf<Parts> = Parts extends readonly [infer First, ...infer Rest]
  ? keyof First | MethodsOf<Rest>
  : never;

type HandledTwice<Parts, Seen = never> = Parts extends readonly [infer First, ...infer Rest]
  ? (keyof First & Seen) | HandledTwice<Rest, Seen | keyof First>
  : never;

/** null when the parts answer every contract method exactly once; otherwise what is wrong, by name. */
export type CoverageProblem<Parts> = [Exclude<IpcMethod, MethodsOf<Parts>>] extends [never]
  ? [HandledTwice<Parts>] extends [never]
    ? null
    : { readonly handledTwice: HandledTwice<Parts> }
  : { readonly missing: Exclude<IpcMethod, MethodsOf<Parts>> };

/**
 * The areas' handlers as one `IpcHandlers`. Type-checked: a contract method no area answers, or one two
 * areas answer, makes the call need a second argument naming the method, so it does not compile.
 */
export function joinAreaHandlers<const Parts extends readonly AnyAreaHandlers[]>(
  parts: Parts,
  ..._exactlyOnce: CoverageProblem<Parts> extends null ? [] : [problem: CoverageProblem<Parts>]
): IpcHandlers {
  const joined: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [method, handler] of Object.entries(part)) {
      // The type check above rules this out; a cast somewhere must not silently replace a handler.
      if (Object.hasOwn(joined, method)) throw new Error(`Two handlers for the IPC method ${method}.`);
      joined[method] = handler;
    }
  }
  return joined as IpcHandlers;
}
