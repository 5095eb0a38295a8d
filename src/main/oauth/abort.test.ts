import { describe, expect, it } from 'vitest';
import { unlessAborted } from './abort';
import { SignInError } from './errors';

describe('unlessAborted', () => {
  it('passes the value or the error through while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(unlessAborted(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(unlessAborted(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom');
  });

  it('rejects with CANCELLED as soon as the signal aborts, before the promise settles', async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const raced = unlessAborted(never, controller.signal);
    controller.abort();
    const err = await raced.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect((err as SignInError).code).toBe('CANCELLED');
  });

  it('reports the abort for a promise that fails after it, and for a signal aborted before the call', async () => {
    const controller = new AbortController();
    let fail: (e: Error) => void = () => {};
    const pending = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const raced = unlessAborted(pending, controller.signal, () => new Error('custom abort'));
    controller.abort();
    fail(new Error('request aborted'));
    await expect(raced).rejects.toThrow('custom abort');
    await expect(unlessAborted(Promise.resolve(1), controller.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('works with the platform deadline: AbortSignal.timeout ends a wait that never settles', async () => {
    const raced = unlessAborted(
      new Promise<never>(() => {}),
      AbortSignal.timeout(20),
      () => new Error('late'),
    );
    await expect(raced).rejects.toThrow('late');
  });
});
