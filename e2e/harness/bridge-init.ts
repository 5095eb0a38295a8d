/**
 * The harness's stand-in for the real preload (src/preload/bridge.ts): runs in the page before any of its
 * scripts (`page.addInitScript`) and defines `window.tokendesk` with one named function per contract
 * method plus `on(event, cb)`, nothing generic. Each function calls the Playwright binding
 * `__tokendeskInvoke(channel, request)`, which feeds the same IPC router the Electron edge uses.
 *
 * Playwright serialises this function into the page, so it must not reference anything outside itself.
 */
export interface BridgeInitArgs {
  /** Contract method name -> channel (`deleteToken` -> `tokens.delete`). */
  readonly methods: Readonly<Record<string, string>>;
  /** Event names main may push (the contract's `ipcEvents`). */
  readonly events: readonly string[];
  /** Name of the Playwright binding that carries a request to the router. */
  readonly invokeBinding: string;
  /** Name of the function the harness calls (via `page.evaluate`) to deliver a pushed event. */
  readonly emitFunction: string;
}

export function installBridge(args: BridgeInitArgs): void {
  type Listener = (payload: unknown) => void;
  const scope = globalThis as unknown as Record<string, unknown>;
  const invoke = (channel: string, request: unknown): Promise<unknown> => {
    const binding = scope[args.invokeBinding] as ((c: string, r: unknown) => Promise<unknown>) | undefined;
    if (typeof binding !== 'function')
      return Promise.reject(new Error('The TokenDesk harness is not attached.'));
    // The harness answers with the IpcResult as JSON text (see harness.ts).
    return binding(channel, request).then((text) => JSON.parse(String(text)));
  };

  const listeners = new Map<string, Set<Listener>>();
  for (const event of args.events) listeners.set(event, new Set());

  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(args.methods)) {
    api[method] = (request: unknown) => invoke(channel, request);
  }
  api.on = (event: string, listener: Listener): (() => void) => {
    const set = typeof event === 'string' ? listeners.get(event) : undefined;
    if (!set) throw new Error(`Unknown TokenDesk event "${String(event).slice(0, 80)}".`);
    if (typeof listener !== 'function') throw new Error('A TokenDesk event listener must be a function.');
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  Object.defineProperty(globalThis, 'tokendesk', {
    value: Object.freeze(api),
    writable: false,
    configurable: false,
    enumerable: true,
  });
  Object.defineProperty(globalThis, args.emitFunction, {
    value: (event: string, payload: unknown) => {
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          console.error('TokenDesk event listener failed', error);
        }
      }
    },
    writable: false,
    configurable: false,
    enumerable: false,
  });
}

/**
 * `installBridge` as init-script source. Loaders that keep function names (tsx/esbuild `keepNames`, used
 * by `npm run bench`) wrap inner functions in `__name(...)`, which does not exist in the page; the
 * wrapper gives it a no-op so the same source works under Playwright's loader and under tsx.
 */
export function bridgeScript(args: BridgeInitArgs): string {
  return `(() => { const __name = (f) => f; (${installBridge.toString()})(${JSON.stringify(args)}); })();`;
}
