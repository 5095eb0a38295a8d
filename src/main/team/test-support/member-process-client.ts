import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./team-member-process.ts', import.meta.url));

export type Reply = { ok: true; result: unknown } | { ok: false; code: string | null; message: string };

/** Drives team-member-process.ts: one command at a time, each answered by one line. */
export class MemberProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, ...env },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.(JSON.parse(line) as Reply);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
  }

  send(command: Record<string, unknown>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.child.once('exit', () => reject(new Error(`member process exited: ${this.stderr}`)));
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Sends and returns the result, failing with the process's own message. */
  async ok<T>(command: Record<string, unknown>): Promise<T> {
    const reply = await this.send(command);
    if (!reply.ok) throw new Error(`${command.cmd} failed: ${reply.code} ${reply.message}`);
    return reply.result as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
