import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { tempDir } from '../store/test-support/temp-store';
import { accountResolver } from './account-from-api-domain';
import { FileStoreBackend } from './file-store-backend';
import { WATCH_DEBOUNCE_MS } from './file-watch';
import { SdkLayoutStore } from './sdk-layout-store';

/**
 * docs/sources.md "FileStore file": a FileStore open in TokenDesk is watched, so a token the integration
 * writes shows without a reload. Real files, real writes, the platform's own watch.
 */
const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const row = (id: number, user: string) =>
  `${id},${user},1000.C,secret,1000.refresh${id},,,,,https://www.zohoapis.com`;

let dir: string;
let cleanup: () => void;
let path: string;
const stops: (() => void)[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'sdk_tokens.txt');
  writeFileSync(path, `${HEADER}\n${row(1, 'a@example.com')}\n`);
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for the platform's event and the debounce, with room for a loaded machine. */
const SETTLE_MS = WATCH_DEBOUNCE_MS + 750;

function watched() {
  const backend = new FileStoreBackend(path);
  const store = new SdkLayoutStore(backend, accountResolver());
  let changes = 0;
  stops.push(backend.watch(() => changes++));
  return { store, changes: () => changes };
}

describe('a watched FileStore file', () => {
  it("reports the integration's write once per burst, and the new token is there to read", async () => {
    const { store, changes } = watched();
    expect((await store.getTokens()).map((t) => t.userName)).toEqual(['a@example.com']);
    // The SDK appends and rewrites in place; three writes in quick succession are one change.
    appendFileSync(path, `${row(2, 'b@example.com')}\n`);
    appendFileSync(path, `${row(3, 'c@example.com')}\n`);
    writeFileSync(path, `${HEADER}\n${row(1, 'a@example.com')}\n${row(2, 'b@example.com')}\n`);
    await expect.poll(changes, { timeout: 5_000 }).toBe(1);
    await sleep(SETTLE_MS);
    expect(changes()).toBe(1);
    expect((await store.getTokens()).map((t) => t.userName)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('sees a file replaced by a rename (a new inode), and keeps watching after it', async () => {
    const { changes } = watched();
    const temp = join(dir, 'next.tmp');
    writeFileSync(temp, `${HEADER}\n${row(5, 'e@example.com')}\n`);
    renameSync(temp, path);
    await expect.poll(changes, { timeout: 5_000 }).toBe(1);
    appendFileSync(path, `${row(6, 'f@example.com')}\n`);
    await expect.poll(changes, { timeout: 5_000 }).toBe(2);
  });

  it("is quiet for TokenDesk's own writes and for other files in the folder", async () => {
    const { store, changes } = watched();
    await store.saveToken(
      emptyToken({
        userName: 'own@example.com',
        clientId: '1000.C',
        clientSecret: 's',
        refreshToken: '1000.own',
        apiDomain: 'https://www.zohoapis.com',
      }),
    );
    writeFileSync(join(dir, 'other.txt'), 'not the token file');
    await sleep(SETTLE_MS);
    expect(changes()).toBe(0);
  });

  it('stops when asked', async () => {
    const { changes } = watched();
    for (const stop of stops.splice(0)) stop();
    appendFileSync(path, `${row(2, 'b@example.com')}\n`);
    await sleep(SETTLE_MS);
    expect(changes()).toBe(0);
  });
});
