import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { tempDir } from '../store/test-support/temp-store';
import { TokenStoreError } from '../store/token-store';
import { accountResolver } from './account-from-api-domain';
import { FileStoreBackend } from './file-store-backend';
import { stampVouches } from './file-version';
import { SdkLayoutStore } from './sdk-layout-store';
import { frozenFileTimes } from './test-support/frozen-file-times';

const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const resolve = accountResolver();

let dir: string;
let cleanup: () => void;
let path: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'sdk_tokens.txt');
});
afterEach(() => cleanup());

const open = () => new SdkLayoutStore(new FileStoreBackend(path), resolve);

describe('SDK FileStore file format', () => {
  it('reads a 9-column file of an older SDK and keeps it 9 columns on write', async () => {
    writeFileSync(
      path,
      'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url\n1,a@example.com,c,s,1000.r,1000.a,,1893456000000,http://x/cb',
    );
    const store = open();
    const [token] = await store.getTokens();
    expect(token).toMatchObject({
      id: '1',
      userName: 'a@example.com',
      refreshToken: '1000.r',
      apiDomain: null,
      dataCenter: null,
    });
    await store.saveToken({ ...token!, accessToken: '1000.a2' });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]?.split(',')).toHaveLength(9);
    expect(lines[1]).toBe('1,a@example.com,c,s,1000.r,1000.a2,,1893456000000,http://x/cb');
  });

  it('reads CRLF line ends and quoted fields (as the Python SDK writes), and keeps CRLF', async () => {
    writeFileSync(
      path,
      `${HEADER}\r\n1,"a@example.com","c","s,with comma","1000.r","1000.a",,1893456000000,http://x/cb,https://www.zohoapis.eu\r\n`,
    );
    const store = open();
    const [token] = await store.getTokens();
    expect(token).toMatchObject({
      clientSecret: 's,with comma',
      dataCenter: 'EU',
      environment: 'production',
      scopes: null,
    });
    await store.saveToken(
      emptyToken({
        userName: 'b@example.com',
        refreshToken: '1000.rb',
        apiDomain: 'https://sandbox.zohoapis.com',
      }),
    );
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // The integration's own line is left byte for byte.
    expect(text.split('\r\n')[1]).toBe(
      '1,"a@example.com","c","s,with comma","1000.r","1000.a",,1893456000000,http://x/cb,https://www.zohoapis.eu',
    );
    expect(text.split('\r\n')[2]).toBe('2,b@example.com,,,1000.rb,,,,,https://sandbox.zohoapis.com');
    expect((await store.findTokenById('2'))?.environment).toBe('sandbox');
  });

  it('writes atomically, keeping the file mode', async () => {
    writeFileSync(path, HEADER);
    chmodSync(path, 0o640);
    const store = open();
    await store.saveToken(emptyToken({ userName: 'a@example.com', refreshToken: '1000.r' }));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n1,a@example.com,,,1000.r,,,,,`);
  });

  it('a save by id of a row the integration removed meanwhile is saved again by its user, not lost', async () => {
    writeFileSync(path, `${HEADER}\n1,a@example.com,c,s,1000.r,1000.a,,1,,https://www.zohoapis.com`);
    const store = open();
    const token = (await store.findTokenById('1'))!;
    writeFileSync(path, `${HEADER}\n2,b@example.com,c,s,1000.rb,,,,,https://www.zohoapis.com`);
    const again = { ...token, accessToken: '1000.td' };
    await store.saveToken(again);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[1]).toBe('2,b@example.com,c,s,1000.rb,,,,,https://www.zohoapis.com');
    expect(lines[2]).toBe('3,a@example.com,c,s,1000.r,1000.td,,1,,https://www.zohoapis.com');
    expect(again.id).toBe('3');
  });

  it('sees what the integration wrote since the last read, and never overwrites a line it has not seen', async () => {
    writeFileSync(path, `${HEADER}\n1,a@example.com,c,s,1000.r,1000.a,,1,,https://www.zohoapis.com`);
    const store = open();
    const token = (await store.findTokenById('1'))!;
    // The integration (the SDK) refreshes the token and adds a user behind TokenDesk's back.
    writeFileSync(
      path,
      `${HEADER}\n1,a@example.com,c,s,1000.r,1000.sdk,,2,,https://www.zohoapis.com\n2,b@example.com,c,s,1000.rb,,,,,`,
    );
    // TokenDesk's write, based on the older row, is refused: the integration's access token stays.
    const err = await store.saveToken({ ...token, accessToken: '1000.td' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenStoreError);
    expect((err as TokenStoreError).code).toBe('CONFLICT');
    expect(readFileSync(path, 'utf8')).toContain('1000.sdk');
    expect(readFileSync(path, 'utf8')).not.toContain('1000.td');
    expect((await store.getTokens()).map((t) => t.userName)).toEqual(['a@example.com', 'b@example.com']);
    // Read again, the same change goes through.
    const fresh = (await store.findTokenById('1'))!;
    await store.saveToken({ ...fresh, accessToken: '1000.td' });
    expect(readFileSync(path, 'utf8')).toContain(
      '1,a@example.com,c,s,1000.r,1000.td,,2,,https://www.zohoapis.com',
    );
    expect(readFileSync(path, 'utf8')).toContain('2,b@example.com');
  });

  it('shows a malformed line as unreadable, keeps it byte for byte, and the other tokens work', async () => {
    const bad = '7,broken,"unterminated';
    writeFileSync(path, `${HEADER}\n1,a@example.com,c,s,1000.r,,,,,\n${bad}\n3,only,three`);
    const store = open();
    const entries = await store.listEntries();
    expect(entries.filter((e) => e.ok)).toHaveLength(1);
    const unreadable = entries.filter((e) => !e.ok);
    expect(unreadable).toHaveLength(2);
    expect(unreadable.map((e) => (e.ok ? '' : e.error.message))).toEqual([
      'Line 3 of the token file cannot be read (it is not valid CSV); TokenDesk leaves it as it is.',
      'Line 4 of the token file cannot be read (it has 3 fields where the header has 10); TokenDesk leaves it as it is.',
    ]);
    await store.saveToken(emptyToken({ userName: 'b@example.com', refreshToken: '1000.rb' }));
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`\n${bad}\n`);
    expect(text).toContain('\n3,only,three\n');
    // The new id is above the unreadable line's id too: the SDK would read that line's id again.
    expect(text.endsWith('\n8,b@example.com,,,1000.rb,,,,,')).toBe(true);
  });

  it('says plainly when the file is not an SDK token file, or has gone', async () => {
    writeFileSync(path, 'name,token\nx,y');
    await expect(open().getTokens()).rejects.toThrow(/not an SDK token file/);
    rmSync(path);
    await expect(open().getTokens()).rejects.toThrow('The token file sdk_tokens.txt was not found.');
  });

  it('a file that disappears mid-operation: a clear error, nothing written', async () => {
    writeFileSync(path, `${HEADER}\n1,a@example.com,c,s,1000.r,,,,,`);
    const store = open();
    const token = (await store.findTokenById('1'))!;
    rmSync(path);
    const err = await store.saveToken({ ...token, accessToken: '1000.a' }).catch((e: unknown) => e);
    expect((err as TokenStoreError).message).toBe('The token file sdk_tokens.txt was not found.');
    expect(() => statSync(path)).toThrow();
  });

  it("matches `email` and the SDK's `email:<zgid>` as one user and keeps the stored spelling", async () => {
    writeFileSync(path, `${HEADER}\n1,a@example.com:60012345,c,s,1000.r,1000.a,,1,,https://www.zohoapis.com`);
    const store = open();
    expect((await store.findToken(emptyToken({ userName: 'a@example.com' })))?.id).toBe('1');
    await store.saveToken(emptyToken({ userName: 'a@example.com', accessToken: '1000.a2' }));
    expect(readFileSync(path, 'utf8')).toContain('\n1,a@example.com:60012345,c,s,1000.r,1000.a2,');
    expect(await store.getTokens()).toHaveLength(1);
  });

  it('two SDK forms with different zgids are two users (two orgs), as in the local store', async () => {
    const row = (id: number, zgid: string, access: string) =>
      `${id},a@example.com:${zgid},c,s,1000.r${id},${access},,1,,https://www.zohoapis.com`;
    writeFileSync(path, `${HEADER}\n${row(1, '601', '1000.a1')}\n${row(2, '602', '1000.a2')}`);
    const store = open();
    expect((await store.findToken(emptyToken({ userName: 'a@example.com:602' })))?.id).toBe('2');
    expect(await store.findToken(emptyToken({ userName: 'a@example.com:603' }))).toBeNull();
    // A save for a third org inserts its own row; the other two are left exactly as they were.
    await store.saveToken(emptyToken({ userName: 'a@example.com:603', refreshToken: '1000.r3' }));
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`\n${row(1, '601', '1000.a1')}\n${row(2, '602', '1000.a2')}\n`);
    expect((await store.getTokens()).map((t) => t.userName)).toEqual([
      'a@example.com:601',
      'a@example.com:602',
      'a@example.com:603',
    ]);
  });

  it('never misses an edit in place that keeps the size and the times, reading or writing', async () => {
    const row = (access: string) => `1,a@example.com,c,s,1000.r,${access},,1,,https://www.zohoapis.com`;
    writeFileSync(path, `${HEADER}\n${row('1000.aaaa')}`);
    // Every stat of this file looks alike: only its bytes tell the versions apart.
    const store = new SdkLayoutStore(new FileStoreBackend(path, { stampOf: frozenFileTimes() }), resolve);
    const read = (await store.findTokenById('1'))!;
    expect(read.accessToken).toBe('1000.aaaa');
    // The integration refreshes in place (as the SDK writes), same length, same tick.
    writeFileSync(path, `${HEADER}\n${row('1000.bbbb')}`);
    expect((await store.findTokenById('1'))?.accessToken).toBe('1000.bbbb');
    expect((await store.getTokens())[0]?.accessToken).toBe('1000.bbbb');
    // Once more, and now TokenDesk saves over the row it read before that edit: refused, nothing lost.
    writeFileSync(path, `${HEADER}\n${row('1000.cccc')}`);
    const err = await store.saveToken({ ...read, accessToken: '1000.dddd' }).catch((e: unknown) => e);
    expect((err as TokenStoreError).code).toBe('CONFLICT');
    expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n${row('1000.cccc')}`);
  });

  it('a stamp vouches for the content only once the file is older than the timestamp margin', () => {
    const ms = (t: number) => BigInt(t) * 1_000_000n;
    const stamp = (changedAt: number) => ({
      ino: 1n,
      size: 10n,
      mtimeNs: ms(changedAt),
      ctimeNs: ms(changedAt),
    });
    const now = Date.now();
    expect(stampVouches(stamp(now), now)).toBe(false);
    expect(stampVouches(stamp(now - 2_000), now)).toBe(false);
    expect(stampVouches(stamp(now - 10_000), now)).toBe(true);
    // A change time later than the modification time counts (a chmod, a rename into place).
    expect(stampVouches({ ...stamp(now - 10_000), ctimeNs: ms(now) }, now)).toBe(false);
  });

  it('a save rewrites only the changed line: every other byte stays as the integration wrote it', async () => {
    const others = [
      '1,a@example.com,c,s,1000.ra,1000.a,,1,,https://www.zohoapis.com',
      '',
      '3,"b@example.com",c,s,1000.rb,,,,,',
      '4,c@example.com,c,s,1000.rc,1000.c,,1,,https://www.zohoapis.eu',
    ];
    const before = `${HEADER}\r\n${others[0]}\n${others[1]}\r\n${others[2]}\r\n${others[3]}\r\n`;
    writeFileSync(path, before);
    const store = open();
    await store.saveToken(emptyToken({ userName: 'b@example.com', accessToken: '1000.longer-than-before' }));
    const after = readFileSync(path, 'utf8');
    expect(after).toBe(before.replace(others[2]!, '3,b@example.com,c,s,1000.rb,1000.longer-than-before,,,,'));
    // The next save (and read) goes by the spliced file, not a stale parse of the old one.
    await store.saveToken(emptyToken({ userName: 'c@example.com', accessToken: '1000.c2' }));
    expect(readFileSync(path, 'utf8')).toBe(after.replace('1000.rc,1000.c,', '1000.rc,1000.c2,'));
    expect((await store.getTokens()).map((t) => t.accessToken)).toEqual([
      '1000.a',
      '1000.longer-than-before',
      '1000.c2',
    ]);
  });

  it('saves rows with non-ASCII names and rows whose id is on two lines, and reads them back', async () => {
    writeFileSync(
      path,
      `${HEADER}\n1,jörg@example.com,c,s,1000.r1,,,,,\n2,b@example.com,c,s,1000.r2,,,,,\n2,b@example.com,c,s,1000.r2,,,,,`,
    );
    const store = open();
    await store.saveToken(emptyToken({ userName: 'jörg@example.com', accessToken: '1000.ä' }));
    await store.saveToken(emptyToken({ userName: 'b@example.com', accessToken: '1000.b' }));
    expect(readFileSync(path, 'utf8')).toBe(
      `${HEADER}\n1,jörg@example.com,c,s,1000.r1,1000.ä,,,,\n2,b@example.com,c,s,1000.r2,1000.b,,,,\n2,b@example.com,c,s,1000.r2,1000.b,,,,`,
    );
    expect((await store.findTokenById('1'))?.accessToken).toBe('1000.ä');
  });
});
