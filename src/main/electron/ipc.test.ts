import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract } from '../../shared/ipc/contract';
import type { IpcRouter } from '../ipc/router';

type Handler = (event: unknown, request: unknown) => unknown;

const h = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  windows: new Set<unknown>(),
  sent: [] as unknown[][],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => h.handlers.set(channel, fn),
    removeHandler: (channel: string) => h.handlers.delete(channel),
  },
  BrowserWindow: {
    fromWebContents: (contents: unknown) => (h.windows.has(contents) ? {} : null),
    getAllWindows: () => [
      { isDestroyed: () => false, webContents: { send: (...args: unknown[]) => h.sent.push(args) } },
      { isDestroyed: () => true, webContents: { send: () => h.sent.push(['destroyed']) } },
    ],
  },
}));

const { broadcast, registerIpc } = await import('./ipc');

const APP = 'file:///app/out/renderer/index.html';
const ourContents = { id: 1 };

function router(): IpcRouter & { dispatch: ReturnType<typeof vi.fn> } {
  return {
    methods: [],
    dispatch: vi.fn(async () => ({ ok: true as const, value: 'routed' })),
  };
}

beforeEach(() => {
  h.handlers.clear();
  h.windows.clear();
  h.windows.add(ourContents);
  h.sent.length = 0;
});

describe('IPC edge', () => {
  it('registers exactly the contract channels, and removes them again', () => {
    const unregister = registerIpc(router());
    expect([...h.handlers.keys()].sort()).toEqual(
      Object.values(ipcContract)
        .map((s) => s.channel)
        .sort(),
    );
    unregister();
    expect(h.handlers.size).toBe(0);
  });

  it("passes the top frame's URL to the router", async () => {
    const r = router();
    registerIpc(r);
    const event = { sender: ourContents, senderFrame: { parent: null, url: APP } };
    expect(await h.handlers.get('tokens.list')?.(event, {})).toEqual({ ok: true, value: 'routed' });
    expect(r.dispatch).toHaveBeenCalledWith('tokens.list', {}, { url: APP });
  });

  it.each([
    ['a destroyed frame', { sender: ourContents, senderFrame: null }],
    ['a sub-frame', { sender: ourContents, senderFrame: { parent: {}, url: APP } }],
    ['a webContents that is not our window', { sender: { id: 2 }, senderFrame: { parent: null, url: APP } }],
  ])('refuses %s without reaching the router', async (_label, event) => {
    const r = router();
    registerIpc(r);
    const result = await h.handlers.get('tokens.delete')?.(event, { id: 't1', revoke: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(r.dispatch).not.toHaveBeenCalled();
  });

  it('broadcasts an event to every live window', () => {
    broadcast('tokens.changed', { reason: 'deleted' });
    expect(h.sent).toEqual([['tokens.changed', { reason: 'deleted' }]]);
  });
});
