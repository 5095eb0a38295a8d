import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1_000_000;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Query parameters merged with a form body (body wins). Zoho accepts token-endpoint fields in the query,
 * as `application/x-www-form-urlencoded`, and as `multipart/form-data` (what the official SDK sends;
 * docs/zoho.md "Token"). Node's `Request#formData()` parses both body encodings.
 */
export async function requestParams(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
): Promise<Map<string, string>> {
  const params = new Map<string, string>(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  const isForm =
    contentType.startsWith('application/x-www-form-urlencoded') ||
    contentType.startsWith('multipart/form-data');
  if (body.length > 0 && isForm) {
    const form = await new Request('http://sim.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
    for (const [key, value] of form) {
      if (typeof value === 'string') params.set(key, value);
    }
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html;charset=UTF-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    // The consent page posts a form to itself and loads nothing else. Browsers apply form-action to the
    // redirect that answers the post too (CSP3), and that redirect goes to the client's redirect URI (a
    // loopback port for TokenDesk, https for web clients), so those must be allowed or Accept goes nowhere.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:* https:",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A stable CRM-style numeric id derived from a string, so the same user or org keeps its id. */
export function stableId(seed: string, digits = 19): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  let out = '';
  for (let i = 0; out.length < digits; i++)
    out += (Number.parseInt(hex[i % hex.length] ?? '0', 16) % 10).toString();
  return `${(Number(out[0]) % 9) + 1}${out.slice(1)}`;
}
