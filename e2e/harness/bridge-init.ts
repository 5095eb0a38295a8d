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
  /**
   * How a request reaches the router. `binding` (the default, what every spec uses, docs/architecture.md "IPC
   * contract"): the Playwright binding, i.e. a CDP round trip through the test process. `http`: a POST to
   * `httpPath + channel` on the page's own origin (the harness's static server), answered by the same
   * router with the page URL as sender; `bench/ui.ts` uses it to measure a transport whose cost is close
   * to Electron's IPC (one serialisation each way, no debugger protocol in between).
   */
  readonly transport?: 'binding' | 'http';
  readonly httpPath?: string;
  /**
   * With the `http` transport: where main's pushes come from, as server-sent events (`{event, payload}`
   * per message) on the page's own origin (http-transport.ts). Without it, pushes arrive only through
   * `emitFunction`, which the test process calls.
   */
  readonly eventsPath?: string;
}

function installBridge(args: BridgeInitArgs): void {
  type Listener = (payload: unknown) => void;
  const scope = globalThis as unknown as Record<string, unknown>;
  // Each call leaves a `performance` measure `ipc <channel>` (detail: transport, ms spent parsing the
  // answer), so a page load can be broken down (bench/ui.ts) without touching the renderer.
  const measured = (channel: string, started: number, text: unknown): unknown => {
    const received = performance.now();
    const value = JSON.parse(String(text));
    try {
      performance.measure(`ipc ${channel}`, {
        start: started,
        detail: { transport: args.transport ?? 'binding', parseMs: performance.now() - received },
      });
    } catch {
      // measure() with options is missing in very old engines; timing is optional.
    }
    return value;
  };
  const viaBinding = (channel: string, request: unknown): Promise<string> => {
    const binding = scope[args.invokeBinding] as ((c: string, r: unknown) => Promise<unknown>) | undefined;
    if (typeof binding !== 'function')
      return Promise.reject(new Error('The TokenDesk harness is not attached.'));
    // The harness answers with the IpcResult as JSON text (see harness.ts).
    return binding(channel, request).then(String);
  };
  const viaHttp = (channel: string, request: unknown): Promise<string> =>
    fetch(`${args.httpPath ?? '/__tokendesk/ipc/'}${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // `{ request: undefined }` is `{}`: a missing argument stays missing, as over Electron's IPC.
      body: JSON.stringify({ request }),
    }).then((response) => {
      if (!response.ok) throw new Error(`The TokenDesk harness answered HTTP ${response.status}.`);
      return response.text();
    });
  const invoke = (channel: string, request: unknown): Promise<unknown> => {
    const started = performance.now();
    const send = args.transport === 'http' ? viaHttp : viaBinding;
    return send(channel, request).then((text) => measured(channel, started, text));
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

  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error('TokenDesk event listener failed', error);
      }
    }
  };
  if (args.transport === 'http' && args.eventsPath) {
    const stream = new EventSource(args.eventsPath);
    // Set once the stream is open, so a test can wait for it before causing a push.
    stream.addEventListener('open', () => {
      scope.__tokendeskEventsOpen = true;
    });
    stream.addEventListener('message', (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      emit(event, payload);
    });
  }

  Object.defineProperty(globalThis, 'tokendesk', {
    value: Object.freeze(api),
    writable: false,
    configurable: false,
    enumerable: true,
  });
  Object.defineProperty(globalThis, args.emitFunction, {
    value: emit,
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
