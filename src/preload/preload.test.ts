import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, ipcEvents, type TokenDeskApi } from '../shared/ipc/contract';

const exposed = new Map<string, unknown>();
const ipcRenderer = {
  invoke: vi.fn(async (_channel: string, _request: unknown) => ({ ok: true, value: null })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
}));

async function loadApi(): Promise<TokenDeskApi> {
  exposed.clear();
  vi.resetModules();
  await import('./index');
  expect([...exposed.keys()]).toEqual(['tokendesk']);
  return exposed.get('tokendesk') as TokenDeskApi;
}

beforeEach(() => {
  vi.clearAllMocks();
});

describe('preload bridge', () => {
  it('exposes exactly one function per contract method, plus on, and nothing generic', async () => {
    const api = await loadApi();
    expect(Object.keys(api).sort()).toEqual([...Object.keys(ipcContract), 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const generic of ['invoke', 'send', 'sendSync', 'ipcRenderer', 'postMessage']) {
      expect(api).not.toHaveProperty(generic);
    }
  });

  it("invokes each method's own channel with the request as given", async () => {
    const api = await loadApi();
    for (const [method, spec] of Object.entries(ipcContract)) {
      ipcRenderer.invoke.mockClear();
      const request = { probe: method };
      await (api[method as keyof typeof ipcContract] as (r: unknown) => Promise<unknown>)(request);
      expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(spec.channel, request);
    }
  });

  it('on() refuses event names outside the contract', async () => {
    const api = await loadApi();
    const on = api.on as (event: string, cb: () => void) => () => void;
    expect(() => on('app.status', () => {})).toThrow(/Unknown TokenDesk event/);
    expect(() => on('__proto__', () => {})).toThrow(/Unknown TokenDesk event/);
    expect(() => on('toString', () => {})).toThrow(/Unknown TokenDesk event/);
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });

  it('on() subscribes to a contract event, passes only a valid payload (never the IPC event), and unsubscribes', async () => {
    const api = await loadApi();
    const listener = vi.fn();
    const off = api.on('tokens.changed', listener);
    expect(ipcRenderer.on).toHaveBeenCalledOnce();
    const [channel, wrapped] = ipcRenderer.on.mock.calls[0] as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('tokens.changed');
    expect(Object.keys(ipcEvents)).toContain(channel);

    const ipcEvent = { sender: { send: () => {} } };
    wrapped(ipcEvent, { reason: 'deleted' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ reason: 'deleted' });
    wrapped(ipcEvent, { unexpected: true });
    expect(listener).toHaveBeenCalledOnce();

    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('tokens.changed', wrapped);
  });
});
