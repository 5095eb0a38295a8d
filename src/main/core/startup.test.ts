import { describe, expect, it, vi } from 'vitest';
import { closeWithin, describeStartupFailure, runStartup, type StartupEdge } from './startup';

function edge(): StartupEdge & { shown: { title: string; body: string }[]; exits: number[] } {
  const shown: { title: string; body: string }[] = [];
  const exits: number[] = [];
  return {
    shown,
    exits,
    showError: (report) => shown.push(report),
    exit: (code) => exits.push(code),
    logError: () => {},
  };
}

describe('start-up failure', () => {
  it('a failure inside start (a rejected promise) shows what failed and where the log is, then exits', async () => {
    const e = edge();
    const outcome = await runStartup(
      async (steps) => {
        await steps.run('opening the window', () => {});
        await steps.run('reading the settings file', async () => {
          throw new SyntaxError('Unexpected token } in JSON at position 12');
        });
      },
      e,
      '/home/ann/.config/TokenDesk/logs/main.log',
    );
    expect(outcome).toBe('failed');
    expect(e.exits).toEqual([1]);
    expect(e.shown).toHaveLength(1);
    expect(e.shown[0]?.title).toBe('TokenDesk could not start');
    expect(e.shown[0]?.body).toContain('while reading the settings file');
    expect(e.shown[0]?.body).toContain('SyntaxError: Unexpected token } in JSON at position 12');
    expect(e.shown[0]?.body).toContain('/home/ann/.config/TokenDesk/logs/main.log');
  });

  it('a start that works shows nothing and does not exit', async () => {
    const e = edge();
    expect(await runStartup(async () => {}, e, null)).toBe('started');
    expect(e.shown).toEqual([]);
    expect(e.exits).toEqual([]);
  });

  it('exits even when the dialog itself fails', async () => {
    const e = edge();
    e.showError = () => {
      throw new Error('no display');
    };
    await expect(
      runStartup(
        async () => {
          throw new Error('boom');
        },
        e,
        null,
      ),
    ).rejects.toThrow('no display');
    expect(e.exits).toEqual([1]);
  });

  it('masks secrets and shortens long messages; says where to look when there is no log file', () => {
    const report = describeStartupFailure(
      'signing in',
      new Error(`refresh_token=1000.${'ab'.repeat(20)}.${'cd'.repeat(20)} ${'x'.repeat(2000)}`),
      null,
    );
    expect(report.body).not.toContain('abab');
    expect(report.body.length).toBeLessThan(700);
    expect(report.body).toMatch(/terminal/);
    expect(describeStartupFailure('starting', 'plain text', null).body).toContain('plain text');
  });
});

describe('quit watchdog', () => {
  it('a close that hangs is given up after the deadline', async () => {
    vi.useFakeTimers();
    try {
      const outcome = closeWithin(() => new Promise<void>(() => {}), 5_000);
      await vi.advanceTimersByTimeAsync(4_999);
      let settled = false;
      void outcome.then(() => {
        settled = true;
      });
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toEqual({ kind: 'timed-out' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a close that finishes or fails, and cancels the timer', async () => {
    const cancel = vi.fn();
    const timer = vi.fn(() => cancel);
    expect(await closeWithin(async () => {}, 5_000, timer)).toEqual({ kind: 'closed' });
    expect(cancel).toHaveBeenCalledOnce();
    const error = new Error('SQLITE_BUSY');
    expect(
      await closeWithin(
        async () => {
          throw error;
        },
        5_000,
        timer,
      ),
    ).toEqual({ kind: 'failed', error });
    expect(
      await closeWithin(
        () => {
          throw error;
        },
        5_000,
        timer,
      ),
    ).toEqual({ kind: 'failed', error });
  });
});
