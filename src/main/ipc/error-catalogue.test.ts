import { describe, expect, it } from 'vitest';
import { explainError, knownHint } from '../../renderer/api/error-messages';
import { ErrorCodeSchema } from '../../shared/errors/error-codes';
import { ERROR_WORDING } from '../../shared/errors/error-wording';
import { IpcErrorSchema, type IpcMethod, ipcContract } from '../../shared/ipc/contract';
import { AppError } from '../errors';
import { lockedError } from '../tokens/errors';
import { ZOHO_ERROR_CODES, zohoError } from '../zoho/errors';
import { createIpcRouter, type IpcHandlers } from './router';

/**
 * Main and the console word every error code the same way: main raises it, the real IPC router carries
 * it, and the renderer's explainError shows it (docs/architecture.md "Errors").
 */
const APP = 'file:///opt/TokenDesk/resources/app/out/renderer/index.html';

function routerThrowing(error: unknown) {
  const handlers = Object.fromEntries(
    (Object.keys(ipcContract) as IpcMethod[]).map((m) => [
      m,
      async () => {
        throw error;
      },
    ]),
  ) as unknown as IpcHandlers;
  return createIpcRouter(handlers, { isAllowedSender: (url) => url === APP });
}

async function shownInConsole(error: unknown) {
  const result = await routerThrowing(error).dispatch('refreshToken', { id: 't1' }, { url: APP });
  if (result.ok) throw new Error('expected a failure');
  // What crosses IPC is a valid contract error: its code is one of the catalogue's.
  const crossed = IpcErrorSchema.parse(result.error);
  return { crossed, shown: explainError(crossed) };
}

describe('main and the console agree on every error code', () => {
  it.each(ZOHO_ERROR_CODES)(
    'a ZohoError %s reaches the console in the catalogue’s words, the same as the code alone',
    async (code) => {
      const { crossed, shown } = await shownInConsole(zohoError(code, { operation: 'crm', httpStatus: 400 }));
      expect(crossed.code).toBe(code);
      expect(shown.message).toBe(`${ERROR_WORDING[code].message} (HTTP 400)`);
      expect(shown.hint).toBe(ERROR_WORDING[code].hint);
      // The renderer's own fallback for this code says the same thing main said.
      const alone = explainError({ code, message: '' });
      expect(shown.message.startsWith(alone.message)).toBe(true);
      expect(alone.hint).toBe(shown.hint);
    },
  );

  it.each(ErrorCodeSchema.options)(
    '%s without a hint from main gets the catalogue hint in the console',
    async (code) => {
      const { crossed, shown } = await shownInConsole(new AppError(code, 'Words main chose for this case.'));
      expect(crossed).toEqual({ code, message: 'Words main chose for this case.' });
      expect(shown.message).toBe('Words main chose for this case.');
      expect(shown.hint).toBe(ERROR_WORDING[code].hint);
      expect(knownHint(code)).toBe(ERROR_WORDING[code].hint);
    },
  );

  it('a locked store says the same in main and the console, and names no passphrase', async () => {
    const { shown } = await shownInConsole(lockedError());
    expect(shown).toEqual({
      code: 'LOCKED',
      message: 'The token store is locked.',
      hint: 'Unlock the store first.',
    });
    expect(explainError({ code: 'LOCKED', message: '' })).toEqual(shown);
  });
});
