import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** Resolves with all output once `pattern` appears (bounded by the test timeout, not by a timing assert). */
function waitFor(proc: ChildProcessWithoutNullStreams, pattern: RegExp, from = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = from;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) {
        proc.stdout.off('data', onData);
        resolve(out);
      }
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`sim exited (${code}): ${out}`)));
  });
}

describe('npm run sim (sim/cli.ts)', () => {
  it('prints URLs, the demo client and redirect URIs, serves consent, and issues Self Client codes', async () => {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'sim/cli.ts',
        '--us-port',
        '0',
        '--eu-port',
        '0',
        '--redirect-uri',
        'http://127.0.0.1:9999/cb',
      ],
      { stdio: 'pipe' },
    );
    const banner = await waitFor(child, /Press Enter/);
    expect(banner).toContain('client_id     1000.DEMOTOKENDESKSIMCLIENT00000001');
    expect(banner).toContain('redirect_uri  http://127.0.0.1:53682/callback');
    expect(banner).toContain('redirect_uri  http://127.0.0.1:9999/cb');
    const us = /US: accounts (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(us).toBeDefined();
    const page = await fetch(
      `${us}/oauth/v2/auth?client_id=1000.DEMOTOKENDESKSIMCLIENT00000001&response_type=code&scope=ZohoCRM.users.READ&redirect_uri=${encodeURIComponent('http://127.0.0.1:9999/cb')}`,
    );
    expect(page.status).toBe(200);
    await page.text();
    child.stdin.write('\n');
    const after = await waitFor(
      child,
      /Self Client grant code[^\n]*\n\s+1000\.[0-9a-f]{32}\.[0-9a-f]{32}/,
      banner,
    );
    expect(after).toContain('accounts-server');
  });
});
