import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { setLogSink } from '../log';
import { logToFile, type RotatingFileLog } from '../log-file';
import { readCliEnvironment } from './cli-environment';
import { EXIT, runCli } from './program';

/** Reads the passphrase from the terminal without echoing it; null when stdin is not a terminal. */
async function promptPassphrase(): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question('TokenDesk passphrase: ', resolve));
  muted = true;
  const passphrase = await answer;
  rl.close();
  process.stderr.write('\n');
  return passphrase || null;
}

let environment: ReturnType<typeof readCliEnvironment>;
try {
  environment = readCliEnvironment();
} catch (error) {
  process.stderr.write(`tokendesk: ${(error as Error).message}\n`);
  process.exit(EXIT.usage);
}

// The log goes to <data folder>/logs/cli.log only: standard output carries the answer (`--json` must stay
// parseable) and a failure is already one line on standard error (docs/sources.md "The `tokendesk` CLI").
let fileLog: RotatingFileLog | null = null;
try {
  fileLog = logToFile(join(environment.dataDir, 'logs'), { fileName: 'cli.log', echo: null });
} catch {
  // A folder that refuses the log must not stop the command; its lines are dropped then.
  setLogSink(() => {});
}

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: environment,
  prompt: promptPassphrase,
});
fileLog?.close();
