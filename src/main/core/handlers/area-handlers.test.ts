import { describe, expect, it } from 'vitest';
import type { IpcMethod } from '../../../shared/ipc/contract';
import { ipcContract } from '../../../shared/ipc/contract';
import type { IpcHandlers } from '../../ipc/router';
import { type AreaHandlers, joinAreaHandlers } from './area-handlers';

/**
 * The core answers each contract method with exactly one area's handler. The `@ts-expect-error` lines are
 * the compile-time half: `npm run typecheck` fails ("Unused '@ts-expect-error' directive") if a method no
 * area answers, or one two areas answer, stops being a type error.
 */

const METHODS = Object.keys(ipcContract) as IpcMethod[];

/** One handler per method that names the method it answers. */
function handlersFor<M extends IpcMethod>(methods: readonly M[]): AreaHandlers<M> {
  return Object.fromEntries(methods.map((m) => [m, async () => m])) as unknown as AreaHandlers<M>;
}

describe('joinAreaHandlers', () => {
  it('joins areas that answer every contract method once into one IpcHandlers', async () => {
    const [first, ...rest] = METHODS as [IpcMethod, ...IpcMethod[]];
    const joined: IpcHandlers = joinAreaHandlers([
      handlersFor<Exclude<IpcMethod, 'getStatus'>>(rest.filter((m) => m !== 'getStatus') as never),
      handlersFor<'getStatus'>(['getStatus']),
    ]);
    expect(Object.keys(joined).sort()).toEqual([...METHODS].sort());
    expect(await (joined[first] as (r: unknown) => Promise<unknown>)({})).toBe(first);
  });

  it('does not compile when a contract method has no handler, or two', () => {
    const mostOf = handlersFor<Exclude<IpcMethod, 'getStatus'>>(
      METHODS.filter((m) => m !== 'getStatus') as never,
    );
    // @ts-expect-error getStatus is answered by no area
    joinAreaHandlers([mostOf]);
    expect(() =>
      // @ts-expect-error listTokens is answered by two areas
      joinAreaHandlers([mostOf, handlersFor(['getStatus', 'listTokens'])]),
    ).toThrow('Two handlers for the IPC method listTokens.');
  });

  it('an area cannot answer a method the contract does not list', () => {
    const area: AreaHandlers<'getStatus'> = {
      getStatus: async () => ({}) as never,
      // @ts-expect-error notInTheContract is not an IPC method
      notInTheContract: () => 1,
    };
    expect(Object.keys(area)).toContain('getStatus');
  });
});
