import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLogger } from '../log';
import { type CallbackPageKind, callbackPage } from './callback-page';
import { SignInError } from './errors';

const log = createLogger('oauth.loopback');

/** RFC 8252 §7.3 and §8.3: the loopback redirect uses the literal IP, never `localhost`. */
export const LOOPBACK_HOST = '127.0.0.1';

export type CallbackVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface LoopbackCallback {
  readonly params: URLSearchParams;
  /** Sends the page the browser shows for this callback; resolves once it is written. Only the first call counts. */
  respond(kind: CallbackPageKind, detail?: string, hint?: string): Promise<void>;
}

export interface LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>`: what Zoho redirects to, registered exactly on the client. */
  readonly redirectUri: string;
  /** The first callback `validate` accepted. Never rejects. */
  readonly callback: Promise<LoopbackCallback>;
  /** Stops listening and drops every connection (after any pending page is written). Idempotent. */
  close(): Promise<void>;
}

export interface LoopbackServerOptions {
  /** 0 picks a free port (tests); the app uses the port registered on the Zoho client. */
  readonly port: number;
  /**
   * When `port` is taken, listen on a free one instead of failing. Only for a client whose redirect URI
   * the caller can register on the spot (the demo simulator's); at Zoho the port must match exactly.
   */
  readonly anyPortIfBusy?: boolean;
  /** e.g. `/callback`. */
  readonly path: string;
  /**
   * Decides whether a request to `path` is the callback being waited for. A rejected request gets a
   * "not valid" page and the server keeps waiting.
   */
  readonly validate: (params: URLSearchParams) => CallbackVerdict;
  /** Told about each rejected request (reason in plain words, no parameter values). */
  readonly onRejected?: (reason: string) => void;
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The page loads nothing and runs nothing; the callback URL carries a grant code, so no Referer either.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  connection: 'close',
} as const;

function sendPage(res: ServerResponse, status: number, html: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.writableEnded || res.destroyed) {
      resolve();
      return;
    }
    res.once('close', () => resolve());
    res.writeHead(status, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html) });
    res.end(html, () => resolve());
  });
}

/**
 * Starts the loopback HTTP server that receives Zoho's OAuth redirect (RFC 8252 §7.3). It answers only
 * GET requests for `path` with the right Host header (a DNS-rebinding page cannot reach it by name).
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  if (!/^\/[A-Za-z0-9/_-]*$/.test(options.path)) {
    throw new SignInError(
      'INVALID_INPUT',
      'The redirect path must start with "/" and use only letters, digits, "/", "_" and "-".',
      { hint: 'Fix the redirect path in Settings.' },
    );
  }
  let resolveCallback: (cb: LoopbackCallback) => void = () => {};
  const callback = new Promise<LoopbackCallback>((resolve) => {
    resolveCallback = resolve;
  });
  let accepted = false;
  let pending: Promise<void> = Promise.resolve();
  const sockets = new Set<Socket>();
  let port = options.port;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (req.headers.host !== `${LOOPBACK_HOST}:${port}`) {
      void sendPage(
        res,
        400,
        callbackPage('ignored', 'This address only answers TokenDesk sign-in redirects.'),
      );
      return;
    }
    if (req.method !== 'GET' || url.pathname !== options.path) {
      void sendPage(res, 404, callbackPage('ignored', 'There is nothing here.'));
      return;
    }
    if (accepted) {
      void sendPage(
        res,
        409,
        callbackPage(
          'ignored',
          'This sign-in was already received.',
          'Return to TokenDesk to see the result.',
        ),
      );
      return;
    }
    const verdict = options.validate(url.searchParams);
    if (!verdict.ok) {
      log.warn('Ignored a sign-in redirect', { reason: verdict.reason });
      options.onRejected?.(verdict.reason);
      void sendPage(
        res,
        400,
        callbackPage(
          'ignored',
          verdict.reason,
          'If you started a sign-in in TokenDesk, finish it in the browser tab TokenDesk opened.',
        ),
      );
      return;
    }
    accepted = true;
    let responded: Promise<void> | undefined;
    resolveCallback({
      params: url.searchParams,
      respond(kind, detail, hint) {
        responded ??= sendPage(res, kind === 'success' ? 200 : 400, callbackPage(kind, detail, hint));
        pending = responded;
        return responded;
      },
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(err);
      server.once('error', onError);
      server.listen({ port: at, host: LOOPBACK_HOST, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
  try {
    await listen(options.port).catch((err: NodeJS.ErrnoException) => {
      if (!(options.anyPortIfBusy && err.code === 'EADDRINUSE')) throw err;
      log.info('Loopback port taken; listening on a free one', { port: options.port });
      return listen(0);
    });
  } catch (err) {
    throw listenError(err as NodeJS.ErrnoException, options.port);
  }
  port = (server.address() as AddressInfo).port;
  server.on('error', (err) => log.warn('Loopback server error', { error: err.message }));
  log.debug('Loopback server listening', { port });

  let closing: Promise<void> | undefined;
  return {
    port,
    redirectUri: `http://${LOOPBACK_HOST}:${port}${options.path}`,
    callback,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await pending;
        for (const socket of sockets) socket.destroy();
        await stopped;
        log.debug('Loopback server closed', { port });
      })();
      return closing;
    },
  };
}

function listenError(err: NodeJS.ErrnoException, port: number): SignInError {
  if (err.code === 'EADDRINUSE') {
    return new SignInError(
      'PORT_IN_USE',
      `Port ${port} on ${LOOPBACK_HOST} is already in use, so TokenDesk cannot receive the sign-in redirect.`,
      {
        hint: `Close the program using port ${port} (or a sign-in already running), or pick another port in Settings and register http://${LOOPBACK_HOST}:<port>/<path> as a redirect URI of your Zoho client.`,
        cause: err,
      },
    );
  }
  if (err.code === 'EACCES') {
    return new SignInError(
      'PORT_IN_USE',
      `TokenDesk is not allowed to listen on port ${port} on ${LOOPBACK_HOST}.`,
      {
        hint: 'Pick a port from 1024 to 65535 in Settings and register the matching redirect URI on your Zoho client.',
        cause: err,
      },
    );
  }
  return new SignInError(
    'LOOPBACK_FAILED',
    `TokenDesk could not start its sign-in listener on ${LOOPBACK_HOST}:${port}.`,
    { hint: 'Try again, or pick another port in Settings.', cause: err },
  );
}
