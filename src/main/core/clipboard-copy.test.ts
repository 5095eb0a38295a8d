import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT, simulatorEndpoints, startZohoSimulator, type ZohoSimulator } from '../../../sim';
import type { AuditEntry } from '../../shared/ipc/views';
import type { Clipboard } from '../common/clipboard';
import { tempDir } from '../store/test-support/temp-store';
import type { TokenDeskCore } from './core';
import { startTestCore, TEST_PASSPHRASE, type TestCore } from './test-support/test-core';

/**
 * Electron 45's `clipboard.writeText` is asynchronous. "Copied" (and its audit row) must wait for it, and a
 * write that fails must not be reported, or audited, as a copy.
 */

const US = 'admin@demo-us.example.com';

/** A clipboard whose writes settle when the test says so, as Electron's does when the OS is slow. */
class SlowClipboard implements Clipboard {
  text = '';
  private pending: { resolve: () => void; reject: (e: Error) => void; text: string } | null = null;

  writeText(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, text };
    });
  }

  async readText(): Promise<string> {
    return this.text;
  }

  clear(): void {
    this.text = '';
  }

  get waiting(): boolean {
    return this.pending !== null;
  }

  finish(): void {
    if (!this.pending) throw new Error('no write pending');
    this.text = this.pending.text;
    this.pending.resolve();
    this.pending = null;
  }

  fail(): void {
    if (!this.pending) throw new Error('no write pending');
    this.pending.reject(new Error('The clipboard is held by another application.'));
    this.pending = null;
  }
}

let dir: { dir: string; cleanup: () => void };
let sim: ZohoSimulator;
let core: TokenDeskCore;
let app: TestCore;
let clipboard: SlowClipboard;

beforeEach(async () => {
  dir = tempDir();
  sim = await startZohoSimulator();
  clipboard = new SlowClipboard();
  app = await startTestCore({ dataDir: dir.dir, clipboard, endpoints: simulatorEndpoints(sim) });
  core = app.core;
});
afterEach(async () => {
  await core.close();
  await sim.close();
  dir.cleanup();
});

const call = <T>(method: string, request?: unknown) => app.call<T>(method, request);
const ok = <T>(method: string, request?: unknown) => app.ok<T>(method, request);

async function storedToken(): Promise<string> {
  await ok('setupStore', { protector: 'passphrase', passphrase: TEST_PASSPHRASE });
  const code = sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
    userEmail: US,
  });
  const token = await ok<{ id: string }>('signInWithGrantCode', {
    dataCenter: 'US',
    environment: 'production',
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    grantCode: code.code,
  });
  return token.id;
}

const copyRows = async () => ok<AuditEntry[]>('listAudit', { action: 'copy' });

describe('copying an access token waits for the clipboard', () => {
  it('says "copied" and writes the audit row only once the clipboard has the text', async () => {
    const id = await storedToken();
    let answered = false;
    const copying = call('copyAccessToken', { id }).then((r) => {
      answered = true;
      return r;
    });
    while (!clipboard.waiting) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    expect(await copyRows()).toEqual([]);

    clipboard.finish();
    expect(await copying).toMatchObject({ ok: true, value: { copied: true } });
    expect(clipboard.text).toMatch(/^1000\./);
    expect(await copyRows()).toHaveLength(1);
  });

  it('a clipboard write that fails is not reported or audited as a copy', async () => {
    const id = await storedToken();
    const copying = call('copyAccessToken', { id });
    while (!clipboard.waiting) await new Promise((r) => setTimeout(r, 5));
    clipboard.fail();
    const result = await copying;
    expect(result.ok).toBe(false);
    expect(clipboard.text).toBe('');
    expect((await copyRows()).filter((r) => r.outcome === 'success')).toEqual([]);
  });
});
