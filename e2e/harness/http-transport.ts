import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IpcResult } from '../../src/shared/ipc/contract';
import { type BridgeInitArgs, bridgeScript } from './bridge-init';
import type { ApiRoute } from './static-server';

/**
 * The bridge's HTTP transport, server side, on the app page's own origin (bridge-init.ts):
 * - `POST /__tokendesk/ipc/<channel>`: one request through the same IPC router the Electron edge uses,
 *   with the page URL (Referer) as sender;
 * - `GET /__tokendesk/events`: main's pushes (`tokens.changed`, progress) as server-sent events;
 * - `GET /__tokendesk/bridge.js`: the bridge itself, for a page no test runner prepares (the dev page,
 *   `npm run dev:browser`); a script from the page's own origin, so the app's CSP (`script-src 'self'`)
 *   allows it.
 * Only same-origin requests are answered: a POST must carry the app's Origin (a foreign page's fetch also
 * fails CORS, since nothing here answers a preflight), and the router then checks the sender URL.
 */
export const TRANSPORT_PREFIX = '/__tokendesk/';
export const HTTP_IPC_PATH = `${TRANSPORT_PREFIX}ipc/`;
const EVENTS_PATH = `${TRANSPORT_PREFIX}events`;
export const BRIDGE_SCRIPT_PATH = `${TRANSPORT_PREFIX}bridge.js`;
const MAX_BODY = 1 << 20;

type Dispatch = (channel: string, request: unknown, sender: { url: string }) => Promise<IpcResult<unknown>>;

export interface HttpTransport {
  /** The `/__tokendesk/` route to mount on the server that serves the page. */
  readonly route: ApiRoute;
  /** Sends one of main's pushes to every open event stream. */
  push(event: string, payload: unknown): void;
  /** Event streams open now. */
  readonly streams: number;
  /** Ends every event stream (before the server closes). */
  close(): void;
}

export function createHttpTransport(options: {
  /** The page's origin, known once the server listens. */
  readonly appUrl: () => string;
  readonly dispatch: Dispatch;
  /** What the bridge script needs (methods, events); the transport fills in its own paths. */
  readonly bridge: Omit<BridgeInitArgs, 'transport' | 'httpPath' | 'eventsPath'>;
}): HttpTransport {
  const streams = new Set<ServerResponse>();
  const sameOrigin = (req: IncomingMessage): boolean => {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> => {
    if (`${TRANSPORT_PREFIX}${rest}` === BRIDGE_SCRIPT_PATH && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(bridgeScript(httpBridgeArgs(options.bridge)));
      return;
    }
    if (`${TRANSPORT_PREFIX}${rest}` === EVENTS_PATH && req.method === 'GET') {
      if (!sameOrigin(req)) {
        res.writeHead(403).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (`${TRANSPORT_PREFIX}${rest}`.startsWith(HTTP_IPC_PATH)) {
      await handleIpc(req, res, rest.slice(HTTP_IPC_PATH.length - TRANSPORT_PREFIX.length));
      return;
    }
    res.writeHead(404).end();
  };

  const handleIpc = async (req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (req.headers.origin !== new URL(options.appUrl()).origin) {
      res.writeHead(403).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    let body: { request?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request?: unknown };
    } catch {
      res.writeHead(400).end();
      return;
    }
    const response = await options.dispatch(decodeURIComponent(channel), body?.request, {
      url: req.headers.referer ?? '',
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(response));
  };

  return {
    route: { prefix: TRANSPORT_PREFIX, handle },
    push(event, payload) {
      const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
    get streams() {
      return streams.size;
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

/** The bridge's arguments for the HTTP transport: requests and event stream on the page's own origin. */
export function httpBridgeArgs(
  bridge: Omit<BridgeInitArgs, 'transport' | 'httpPath' | 'eventsPath'>,
): BridgeInitArgs {
  return { ...bridge, transport: 'http', httpPath: HTTP_IPC_PATH, eventsPath: EVENTS_PATH };
}
