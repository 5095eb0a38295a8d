import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Serves the built renderer (`out/renderer`) on 127.0.0.1. Chromium refuses ES module scripts from
 * `file://` (opaque origin), which Electron allows, so the harness serves the same files over http.
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An extra route on the same origin (the harness's HTTP IPC transport, bridge-init.ts): gets every request
 * whose path starts with `prefix` and answers it; the static files are served for everything else.
 */
export interface ApiRoute {
  readonly prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, rest: string): void | Promise<void>;
}

export async function serveDirectory(root: string, api?: ApiRoute): Promise<StaticServer> {
  const rootWithSep = normalize(root + sep);
  const server: Server = createServer(async (req, res) => {
    if (api && (req.url ?? '').startsWith(api.prefix)) {
      try {
        await api.handle(req, res, (req.url ?? '').slice(api.prefix.length));
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(rootWithSep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
