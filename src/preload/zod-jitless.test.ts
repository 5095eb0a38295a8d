import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * zod compiles fast object parsers with `new Function`, after a probe that calls `new Function("")` when
 * the first object schema is built. Under the app's CSP (no 'unsafe-eval') the probe throws (zod catches
 * it) but Chromium still reports a CSP violation for it, in the preload and in the page. So preload and
 * renderer switch zod to jitless before any schema exists: the probe must never run there.
 */

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: () => {} },
  ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => {}, removeListener: () => {} },
}));

const RealFunction = globalThis.Function;
afterEach(() => {
  globalThis.Function = RealFunction;
});

/**
 * Imports `entry` and counts `Function` calls and constructions meanwhile. zod is loaded from node_modules
 * once per test file (vitest runs each file in a fresh process), so the preload import below is the first
 * time zod is evaluated, as in the real preload.
 */
async function functionCallsWhileImporting(entry: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args) {
      calls += 1;
      return Reflect.construct(target, args);
    },
    apply(target, thisArg, args) {
      calls += 1;
      return Reflect.apply(target, thisArg, args);
    },
  });
  try {
    await entry();
  } finally {
    globalThis.Function = RealFunction;
  }
  return calls;
}

describe('zod runs jitless in preload', () => {
  it('the preload builds its schemas without zod probing for eval', async () => {
    // The counter sees what zod's probe does (`const F = Function; new F("")`).
    expect(
      await functionCallsWhileImporting(async () => {
        const F = Function;
        return new F('');
      }),
    ).toBe(1);
    expect(await functionCallsWhileImporting(() => import('./index'))).toBe(0);
    const { z } = await import('zod');
    expect(z.config().jitless).toBe(true);
  });
});
