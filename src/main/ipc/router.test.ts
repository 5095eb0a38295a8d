import { afterEach, describe, expect, it, vi } from 'vitest';
import { type IpcMethod, ipcContract } from '../../shared/ipc/contract';
import { blankTokenView } from '../../shared/ipc/test-support/token-views';
import { encodeTokenList, type TokenListWire } from '../../shared/ipc/token-list';
import type { TokenView } from '../../shared/ipc/views';
import { AppError } from '../errors';
import { type LogRecord, setLogSink } from '../log';
import { KeyProtectorError } from '../store/key-protector';
import { TokenStoreError } from '../store/token-store';
import { zohoError } from '../zoho/errors';
import { createIpcRouter, type IpcHandlers, undeclaredFields } from './router';

const APP = 'file:///opt/TokenDesk/resources/app/out/renderer/index.html';
const isAllowedSender = (url: string) => url === APP || url.startsWith(`${APP}#`);
const app = { url: APP };

/** Every handler fails loudly unless the test supplies it, so an unexpected call is visible. */
function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  const all = Object.fromEntries(
    (Object.keys(ipcContract) as IpcMethod[]).map((m) => [
      m,
      vi.fn(() => {
        throw new Error(`handler ${m} should not be called`);
      }),
    ]),
  );
  return { ...all, ...overrides } as unknown as IpcHandlers;
}

function tokenView(overrides: Partial<TokenView> = {}): TokenView {
  return blankTokenView({
    id: 't1',
    userName: 'ada@example.com',
    clientId: '1000.CLIENT',
    apiDomain: 'https://www.zohoapis.com',
    scopes: ['ZohoCRM.modules.ALL'],
    accessTokenPreview: '1000.ab…9f3c',
    refreshTokenPreview: '1000.cd…1a2b',
    expiresAt: 1_700_000_000_000,
    createdAt: 1_600_000_000_000,
    updatedAt: 1_600_000_000_000,
    ...overrides,
  });
}

let restoreSink: (() => void) | undefined;
function captureLogs(): LogRecord[] {
  const records: LogRecord[] = [];
  restoreSink = setLogSink((r) => records.push(r));
  return records;
}
afterEach(() => {
  restoreSink?.();
  restoreSink = undefined;
});

describe('IPC router', () => {
  it('calls the handler with the parsed request (defaults applied) and wraps the value', async () => {
    const deleteToken = vi.fn(async (req: { id: string }) => ({
      id: req.id,
      revoke: { state: 'revoked' as const },
      deleted: true,
    }));
    const router = createIpcRouter(handlers({ deleteToken }), { isAllowedSender });
    const result = await router.dispatch('deleteToken', { id: 't1', revoke: true }, app);
    expect(result).toEqual({ ok: true, value: { id: 't1', revoke: { state: 'revoked' }, deleted: true } });
    expect(deleteToken).toHaveBeenCalledWith({ id: 't1', revoke: true, deleteIfRevokeFails: false });
  });

  it('accepts the channel name as well as the method name', async () => {
    const listTokens = vi.fn(async () => encodeTokenList([tokenView()]));
    const router = createIpcRouter(handlers({ listTokens }), { isAllowedSender });
    const result = await router.dispatch('tokens.list', {}, app);
    expect(result.ok).toBe(true);
    expect(listTokens).toHaveBeenCalledOnce();
  });

  it('treats a missing argument as an empty request', async () => {
    const listTokens = vi.fn(async () => encodeTokenList([]));
    const router = createIpcRouter(handlers({ listTokens }), { isAllowedSender });
    expect(await router.dispatch('listTokens', undefined, app)).toEqual({
      ok: true,
      value: encodeTokenList([]),
    });
  });

  it.each([
    ['a wrong type', { id: 42, revoke: true }, '"id"'],
    ['a missing field', { id: 't1' }, '"revoke"'],
    ['an unknown field', { id: 't1', revoke: true, extra: 'x' }, '"extra"'],
    ['an empty id', { id: '', revoke: true }, '"id"'],
    ['not an object', 'delete everything', 'the request'],
    ['null', null, 'the request'],
  ])(
    'rejects %s with INVALID_ARGUMENT naming the field, without calling the handler',
    async (_l, raw, field) => {
      const deleteToken = vi.fn();
      const router = createIpcRouter(handlers({ deleteToken }), { isAllowedSender });
      const result = await router.dispatch('deleteToken', raw, app);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('INVALID_ARGUMENT');
      expect(result.error.message).toContain(field);
      expect(deleteToken).not.toHaveBeenCalled();
    },
  );

  it('never echoes a rejected value (it may be a secret)', async () => {
    const unlockStore = vi.fn();
    const router = createIpcRouter(handlers({ unlockStore }), { isAllowedSender });
    const secret = 'correct horse battery staple';
    const result = await router.dispatch('unlockStore', { passphrase: secret, remember: secret }, app);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(unlockStore).not.toHaveBeenCalled();
  });

  it('caps unknown key names it echoes: length, count and control characters', async () => {
    const unlockStore = vi.fn();
    const router = createIpcRouter(handlers({ unlockStore }), { isAllowedSender });
    const long = 'k'.repeat(100_000);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, 1]));
    const result = await router.dispatch(
      'unlockStore',
      { passphrase: 'p', [long]: 1, 'line\nbreak\u202e': 1, ...many },
      app,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(result.error.message.length).toBeLessThan(600);
    expect(result.error.message).toContain(`"${'k'.repeat(40)}…"`);
    expect(result.error.message).not.toContain('k'.repeat(41));
    expect(result.error.message).toMatch(/and 49\d more/);
    expect(result.error.message).not.toMatch(/[\n\u202e]/);
    expect(unlockStore).not.toHaveBeenCalled();
  });

  it('rejects an unknown method', async () => {
    const router = createIpcRouter(handlers(), { isAllowedSender });
    const result = await router.dispatch('eval', {}, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it.each([
    'https://evil.example/index.html',
    'file:///home/admin/other/index.html',
    'http://127.0.0.1:5173/',
    '',
    'not a url',
  ])('refuses sender %j with FORBIDDEN_SENDER before parsing or calling anything', async (url) => {
    const logs = captureLogs();
    const deleteToken = vi.fn();
    const router = createIpcRouter(handlers({ deleteToken }), { isAllowedSender });
    // Even a malformed request gets FORBIDDEN_SENDER: a foreign page learns nothing about validation.
    const result = await router.dispatch('deleteToken', { bogus: true }, { url });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(deleteToken).not.toHaveBeenCalled();
    expect(logs.some((r) => r.level === 'warn')).toBe(true);
  });

  it('refuses when the sender check itself throws', async () => {
    const router = createIpcRouter(handlers(), {
      isAllowedSender: () => {
        throw new Error('boom');
      },
    });
    const result = await router.dispatch('getStatus', {}, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('passes an AppError through with its code, message and hint', async () => {
    const refreshToken = vi.fn(async () => {
      throw new AppError('INVALID_CLIENT', 'Zoho does not know this client.', {
        hint: 'Check the client id.',
      });
    });
    const router = createIpcRouter(handlers({ refreshToken }), { isAllowedSender });
    expect(await router.dispatch('refreshToken', { id: 't1' }, app)).toEqual({
      ok: false,
      error: {
        code: 'INVALID_CLIENT',
        message: 'Zoho does not know this client.',
        hint: 'Check the client id.',
      },
    });
  });

  it('passes the store and key-protector errors and a ZohoError (an AppError) through', async () => {
    const errors = [
      new TokenStoreError('LOCKED', 'The store is locked.'),
      new KeyProtectorError('WRONG_PASSPHRASE', 'That passphrase is not right.'),
      zohoError('INVALID_CODE'),
    ];
    for (const error of errors) {
      const router = createIpcRouter(
        handlers({
          refreshToken: async () => {
            throw error;
          },
        }),
        { isAllowedSender },
      );
      const result = await router.dispatch('refreshToken', { id: 't1' }, app);
      expect(result).toMatchObject({ ok: false, error: { code: error.code, message: error.message } });
    }
  });

  it('does not trust an error by its name: a plain Error called ZohoError is INTERNAL', async () => {
    captureLogs();
    const impostor = Object.assign(new Error('token 1000.0123456789abcdef.fedcba9876543210'), {
      name: 'ZohoError',
      code: 'INVALID_CODE',
    });
    const router = createIpcRouter(
      handlers({
        refreshToken: async () => {
          throw impostor;
        },
      }),
      { isAllowedSender },
    );
    const result = await router.dispatch('refreshToken', { id: 't1' }, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('masks any other error as INTERNAL and logs it redacted in main', async () => {
    const logs = captureLogs();
    const secret = '1000.0123456789abcdef.fedcba9876543210';
    const refreshToken = vi.fn(async () => {
      throw new Error(`SQLITE_CORRUPT at /home/ada/.config/TokenDesk/tokens.db with ${secret}`);
    });
    const router = createIpcRouter(handlers({ refreshToken }), { isAllowedSender });
    const result = await router.dispatch('refreshToken', { id: 't1' }, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|home|1000\./);
    const logged = JSON.stringify(logs);
    expect(logged).toContain('SQLITE_CORRUPT');
    expect(logged).not.toContain(secret);
  });

  it('masks a thrown non-Error value as INTERNAL', async () => {
    captureLogs();
    const router = createIpcRouter(
      handlers({
        getStatus: () => {
          throw 'a string';
        },
      }),
      { isAllowedSender },
    );
    expect(await router.dispatch('getStatus', {}, app)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('refuses, in strict mode, a response carrying a field its schema does not declare', async () => {
    const logs = captureLogs();
    const leaky = { ...tokenView(), refreshToken: '1000.0123456789abcdef.fedcba9876543210' };
    const router = createIpcRouter(handlers({ refreshToken: async () => leaky }), { isAllowedSender });
    const result = await router.dispatch('refreshToken', { id: 't1' }, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(logs)).toContain('refreshToken');
  });

  it('drops, in strip mode, undeclared response fields so they never reach the renderer', async () => {
    const leaky = { ...tokenView(), refreshToken: '1000.0123456789abcdef.fedcba9876543210' };
    const router = createIpcRouter(handlers({ refreshToken: async () => leaky }), {
      isAllowedSender,
      responseCheck: 'strip',
    });
    const result = await router.dispatch('refreshToken', { id: 't1' }, app);
    expect(result).toEqual({ ok: true, value: tokenView() });
  });

  describe('the compact token list (listTokens)', () => {
    const secret = '1000.0123456789abcdef.fedcba9876543210';
    const wire = () => encodeTokenList([tokenView(), tokenView({ id: 't2', status: 'expired' })]);
    const leaks: Array<[string, (w: LooseWire) => void]> = [
      ['an extra top-level field', (w) => (w.refreshTokens = [secret, secret])],
      ['an extra column', (w) => (w.columns.refreshToken = [secret, secret])],
      ['an extra dictionary', (w) => (w.dictionaries.clientSecret = [secret])],
      [
        'an extra field in a lastTest',
        (w) => (w.columns.lastTest[1] = { ...testResult(), accessToken: secret }),
      ],
      ['a secret in place of a dictionary index', (w) => (w.columns.clientId[0] = secret)],
      ['an index outside its dictionary', (w) => (w.columns.status[1] = 9)],
      ['a column shorter than count', (w) => w.columns.userName.pop()],
    ];

    it('passes the encoded list through unchanged', async () => {
      const router = createIpcRouter(handlers({ listTokens: async () => wire() }), { isAllowedSender });
      expect(await router.dispatch('listTokens', {}, app)).toEqual({ ok: true, value: wire() });
    });

    it.each(leaks)('refuses %s in strict AND strip mode (nothing is silently stripped)', async (_l, leak) => {
      const logs = captureLogs();
      for (const responseCheck of ['strict', 'strip'] as const) {
        const leaky = wire() as unknown as LooseWire;
        leak(leaky);
        const router = createIpcRouter(handlers({ listTokens: async () => leaky as never }), {
          isAllowedSender,
          responseCheck,
        });
        const result = await router.dispatch('listTokens', {}, app);
        expect(result, responseCheck).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
        expect(JSON.stringify(result)).not.toContain(secret);
      }
      expect(JSON.stringify(logs)).not.toContain(secret);
    });
  });

  it('refuses a response that does not match its schema', async () => {
    captureLogs();
    const router = createIpcRouter(handlers({ refreshToken: async () => ({ id: 't1' }) as TokenView }), {
      isAllowedSender,
    });
    const result = await router.dispatch('refreshToken', { id: 't1' }, app);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('lists every contract method', () => {
    const router = createIpcRouter(handlers(), { isAllowedSender });
    expect([...router.methods].sort()).toEqual(Object.keys(ipcContract).sort());
  });
});

/** The wire with every part writable and open to extra keys: for building malformed answers. */
type LooseWire = {
  count: unknown;
  columns: Record<keyof TokenListWire['columns'], unknown[]> & Record<string, unknown>;
  dictionaries: Record<keyof TokenListWire['dictionaries'], unknown[]> & Record<string, unknown>;
} & Record<string, unknown>;

function testResult() {
  return {
    at: 1_700_000_000_000,
    ok: true,
    httpStatus: 200,
    latencyMs: 120,
    userEmail: 'ada@example.com',
    userName: 'Ada',
    orgName: 'Org',
    orgId: '1',
    refreshed: false,
    errorCode: null,
    message: null,
  };
}

describe('IpcHandlers type', () => {
  it('requires one handler per contract method (checked by tsc)', () => {
    const { getStatus: _omitted, ...missingOne } = handlers();
    // @ts-expect-error a handler map missing `getStatus` is not an IpcHandlers
    const incomplete: IpcHandlers = missingOne;
    // @ts-expect-error a handler for a method that is not in the contract is refused too
    const extra: IpcHandlers = { ...handlers(), notInContract: async () => ({}) };
    expect([incomplete, extra]).toHaveLength(2);
  });
});

describe('undeclaredFields', () => {
  it('names every dropped key by its path, nested in arrays and objects, and nothing else', () => {
    const raw = [
      { a: 1, b: { c: 2, leak: 'x' } },
      { a: 1, extra: true, list: [{ d: 1, e: 2 }] },
    ];
    const parsed = [
      { a: 1, b: { c: 2 } },
      { a: 1, list: [{ d: 1 }] },
    ];
    expect(undeclaredFields(raw, parsed)).toEqual(['[0].b.leak', '[1].extra', '[1].list[0].e']);
    expect(undeclaredFields({ top: 1, x: { y: 1 } }, { x: {} })).toEqual(['top', 'x.y']);
    expect(undeclaredFields(raw, raw)).toEqual([]);
    expect(undeclaredFields('text', 'text')).toEqual([]);
  });
});
