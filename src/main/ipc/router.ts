import type { z } from 'zod';
import {
  type IpcError,
  type IpcMethod,
  type IpcParsedRequest,
  type IpcResponse,
  type IpcResult,
  ipcContract,
  ROUTER_ERROR_CODES,
} from '../../shared/ipc/contract';
import { AppError } from '../errors';
import { createLogger, type Logger, redactSecrets } from '../log';

/**
 * The one place IPC requests enter main (docs/architecture.md "IPC contract", "Data flow"). Plain Node, no
 * `electron`: the edge (src/main/electron/ipc.ts) feeds it Electron's invocations, and the e2e harness
 * feeds it a Playwright binding's calls, so both run exactly the same checks.
 *
 * Order matters: sender first (a foreign page learns nothing, not even whether its input was valid),
 * then the request schema (bad input never reaches a handler, so it has no side effect), then the
 * handler, whose result is checked against the response schema before it leaves main.
 */

/** Exactly one handler per contract method; a missing or extra key is a type error. */
export type IpcHandlers = {
  readonly [M in IpcMethod]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>> | IpcResponse<M>;
};

export interface IpcSender {
  /** URL of the frame that sent the request (Electron: `event.senderFrame.url`). */
  readonly url: string;
}

/**
 * `strict` (tests and development): a response with a field its schema does not declare is refused as an
 * INTERNAL error and logged, so a secret-bearing field added by mistake fails loudly.
 * `strip` (packaged app): undeclared fields are dropped, so they still never reach the renderer.
 * Either way a response that does not match its schema is refused.
 */
export type ResponseCheck = 'strict' | 'strip';

export interface IpcRouterOptions {
  readonly isAllowedSender: (url: string) => boolean;
  readonly responseCheck?: ResponseCheck;
  readonly logger?: Logger;
}

export interface IpcRouter {
  /** Never throws: every outcome is an IpcResult. `methodOrChannel` is `deleteToken` or `tokens.delete`. */
  dispatch(methodOrChannel: string, rawRequest: unknown, sender: IpcSender): Promise<IpcResult<unknown>>;
  readonly methods: readonly IpcMethod[];
}

const METHODS = Object.keys(ipcContract) as IpcMethod[];
const BY_CHANNEL: ReadonlyMap<string, IpcMethod> = new Map(METHODS.map((m) => [ipcContract[m].channel, m]));

function resolveMethod(methodOrChannel: string): IpcMethod | undefined {
  if (Object.hasOwn(ipcContract, methodOrChannel)) return methodOrChannel as IpcMethod;
  return BY_CHANNEL.get(methodOrChannel);
}

export function forbiddenSender(): IpcResult<never> {
  return failure({
    code: ROUTER_ERROR_CODES.forbiddenSender,
    message: 'This request did not come from the TokenDesk window, so it was refused.',
  });
}

export function createIpcRouter(handlers: IpcHandlers, options: IpcRouterOptions): IpcRouter {
  const log = options.logger ?? createLogger('ipc');
  const responseCheck = options.responseCheck ?? 'strict';

  async function dispatch(
    methodOrChannel: string,
    rawRequest: unknown,
    sender: IpcSender,
  ): Promise<IpcResult<unknown>> {
    if (!isAllowed(options.isAllowedSender, sender)) {
      log.warn('refused an IPC request from a page that is not the app', {
        method: String(methodOrChannel).slice(0, 80),
        sender: describeSender(sender),
      });
      return forbiddenSender();
    }

    const method = typeof methodOrChannel === 'string' ? resolveMethod(methodOrChannel) : undefined;
    if (!method) {
      return failure({
        code: ROUTER_ERROR_CODES.invalidArgument,
        message: `There is no request named "${echoableName(String(methodOrChannel))}".`,
      });
    }

    const spec = ipcContract[method];
    // A missing argument (`tokendesk.getStatus()`) means "no fields", like `{}`.
    const parsed = spec.request.safeParse(rawRequest === undefined ? {} : rawRequest);
    if (!parsed.success) {
      return failure({
        code: ROUTER_ERROR_CODES.invalidArgument,
        message: describeIssues(parsed.error.issues),
      });
    }

    let value: unknown;
    try {
      const handler = handlers[method] as (request: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      return failure(toIpcError(error, method, log));
    }

    return checkResponse(method, spec.response, value, responseCheck, log);
  }

  return { dispatch, methods: METHODS };
}

function isAllowed(check: (url: string) => boolean, sender: IpcSender): boolean {
  try {
    return typeof sender?.url === 'string' && check(sender.url) === true;
  } catch {
    return false;
  }
}

function describeSender(sender: IpcSender): string {
  const url = typeof sender?.url === 'string' ? sender.url : '(none)';
  // Query strings can carry codes or tokens; the path is enough to tell where the call came from.
  return redactSecrets(url.split(/[?#]/, 1)[0] ?? '').slice(0, 200);
}

/** Plain words naming each bad field; never echoes the value (it may be a passphrase or a secret). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // Key names come from the sender: a few, shortened and made printable, are enough to find the typo.
      const shown = issue.keys.slice(0, MAX_ECHOED_KEYS).map((k) => `"${echoableName(k)}"`);
      const hidden = issue.keys.length - shown.length;
      const keys = shown.join(', ') + (hidden > 0 ? ` (and ${hidden} more)` : '');
      const where = issue.path.length > 0 ? ` in "${formatPath(issue.path)}"` : '';
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${keys}${where}`;
    }
    const field = issue.path.length > 0 ? `"${formatPath(issue.path)}"` : 'the request';
    return `${field}: ${issue.message}`;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid request: ${parts.join('; ')}${more}.`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : echoableName(String(p)))).join('.');
}

const MAX_ECHOED_KEYS = 5;
const MAX_ECHOED_KEY_LENGTH = 40;

/**
 * A sender-chosen name as it may appear in an error: control and bidi-override characters shown as
 * `\u…` escapes (so the message reads as it is), cut to 40 characters, and masked if it looks like a secret.
 */
function echoableName(name: string): string {
  const short = name.length > MAX_ECHOED_KEY_LENGTH ? `${name.slice(0, MAX_ECHOED_KEY_LENGTH)}…` : name;
  const printable = short.replace(
    // Cc: control characters; Cf: format characters, the bidi overrides and isolates among them.
    /[\p{Cc}\p{Cf}]/gu,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
  return redactSecrets(printable);
}

/**
 * Errors whose message is written for a person pass through: AppError, hint included (ZohoError,
 * TokenStoreError and KeyProtectorError are AppErrors). Anything else may carry a stack, a path or a secret:
 * it is logged here (redacted) and the renderer gets a generic INTERNAL error.
 */
function toIpcError(error: unknown, method: string, log: Logger): IpcError {
  if (error instanceof AppError) {
    return withHint(error.code, error.message, error.hint);
  }
  log.error('request failed with an unexpected error', {
    method,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return {
    code: ROUTER_ERROR_CODES.internal,
    message: 'Something went wrong inside TokenDesk. The details are in the app log.',
  };
}

function withHint(code: IpcError['code'], message: string, hint: string | undefined): IpcError {
  // Belt and braces: these messages are safe by contract, but a token pasted into one is still masked.
  const error: IpcError = { code, message: redactSecrets(message) };
  return hint ? { ...error, hint: redactSecrets(hint) } : error;
}

function checkResponse(
  method: IpcMethod,
  schema: z.ZodType,
  value: unknown,
  mode: ResponseCheck,
  log: Logger,
): IpcResult<unknown> {
  const result = schema.safeParse(value);
  if (!result.success) {
    log.error('handler returned a response that does not match its schema', {
      method,
      problem: describeIssues(result.error.issues),
    });
    return internalResponseError();
  }
  if (mode === 'strict') {
    const extra = undeclaredFields(value, result.data);
    if (extra.length > 0) {
      log.error('handler returned fields its response schema does not declare', { method, fields: extra });
      return internalResponseError();
    }
  }
  return { ok: true, value: result.data };
}

function internalResponseError(): IpcResult<never> {
  return failure({
    code: ROUTER_ERROR_CODES.internal,
    message: 'Something went wrong inside TokenDesk. The details are in the app log.',
  });
}

/**
 * Paths of object keys present in `raw` that schema parsing dropped from `parsed` (`[0].refreshToken`).
 * One walk with a shared path stack: a path string is built only for a key that was dropped, so a clean
 * 10,000-row list costs no string or array per value (this runs on every response in strict mode).
 */
export function undeclaredFields(raw: unknown, parsed: unknown): string[] {
  const found: string[] = [];
  walkUndeclared(raw, parsed, [], found);
  return found;
}

function walkUndeclared(raw: unknown, parsed: unknown, path: (string | number)[], found: string[]): void {
  if (typeof raw !== 'object' || raw === null || typeof parsed !== 'object' || parsed === null) return;
  if (Array.isArray(raw)) {
    if (!Array.isArray(parsed)) return;
    for (let i = 0; i < raw.length; i++) {
      const item: unknown = raw[i];
      if (typeof item !== 'object' || item === null) continue; // a leaf has no keys to drop
      path.push(i);
      walkUndeclared(item, parsed[i], path, found);
      path.pop();
    }
    return;
  }
  if (Array.isArray(parsed)) return;
  const rawObject = raw as Record<string, unknown>;
  const parsedObject = parsed as Record<string, unknown>;
  for (const key of Object.keys(rawObject)) {
    const inParsed = Object.hasOwn(parsedObject, key);
    const value = rawObject[key];
    if (inParsed && (typeof value !== 'object' || value === null)) continue;
    path.push(key);
    if (inParsed) walkUndeclared(value, parsedObject[key], path, found);
    else found.push(formatFieldPath(path));
    path.pop();
  }
}

function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

function failure(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}
