import { describe, expect, it } from 'vitest';
import {
  eachMethodDeclaredOnce,
  type IpcMethod,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
  ipcContract,
  type MethodsDeclaredTwice,
  type TokenDeskApi,
} from '../../shared/ipc/contract';
import type { TokenView } from '../../shared/ipc/views';
import type { IpcHandlers } from './router';

/**
 * Compile-time half of the IPC contract tests (docs/architecture.md "IPC contract": a channel left out of
 * main or preload fails the type check). vitest does not type-check, so the assertions that matter here are the
 * `@ts-expect-error` lines: `npm run typecheck` (tsc -p tsconfig.node.json, which includes src/main)
 * fails with "Unused '@ts-expect-error' directive" if any of them stops being an error, i.e. if main or
 * preload could leave a channel out (or add one the contract does not list) without tsc noticing.
 * The runtime half (every channel registered and exposed) is in src/main/electron/ipc.test.ts and
 * src/preload/preload.test.ts.
 */

const reply = <M extends IpcMethod>(_method: M) =>
  (async () => ({ ok: true, value: {} })) as unknown as (
    request: IpcRequest<M>,
  ) => Promise<IpcResult<IpcResponse<M>>>;

/** The preload surface as src/preload/bridge.ts writes it: one named function per method, plus `on`. */
function preloadSurface() {
  return {
    getStatus: reply('getStatus'),
    setupStore: reply('setupStore'),
    unlockStore: reply('unlockStore'),
    unlockWithKeychain: reply('unlockWithKeychain'),
    lockStore: reply('lockStore'),
    noteActivity: reply('noteActivity'),
    changePassphrase: reply('changePassphrase'),
    addStorePassphrase: reply('addStorePassphrase'),
    removeStorePassphrase: reply('removeStorePassphrase'),
    listTokens: reply('listTokens'),
    refreshToken: reply('refreshToken'),
    testToken: reply('testToken'),
    copyAccessToken: reply('copyAccessToken'),
    deleteToken: reply('deleteToken'),
    clearAllTokens: reply('clearAllTokens'),
    reauthorise: reply('reauthorise'),
    connectedAccounts: reply('connectedAccounts'),
    checkAllTokens: reply('checkAllTokens'),
    runTokenJob: reply('runTokenJob'),
    cancelTokenJob: reply('cancelTokenJob'),
    exportTokenList: reply('exportTokenList'),
    listPendingRevokes: reply('listPendingRevokes'),
    retryPendingRevoke: reply('retryPendingRevoke'),
    signInWithBrowser: reply('signInWithBrowser'),
    cancelSignIn: reply('cancelSignIn'),
    signInWithGrantCode: reply('signInWithGrantCode'),
    importRefreshToken: reply('importRefreshToken'),
    listAudit: reply('listAudit'),
    exportAuditCsv: reply('exportAuditCsv'),
    getSettings: reply('getSettings'),
    updateSettings: reply('updateSettings'),
    startDemo: reply('startDemo'),
    openLogFolder: reply('openLogFolder'),
    listSources: reply('listSources'),
    testSource: reply('testSource'),
    addSource: reply('addSource'),
    updateSource: reply('updateSource'),
    removeSource: reply('removeSource'),
    transferTokens: reply('transferTokens'),
    getTeam: reply('getTeam'),
    testTeamConnection: reply('testTeamConnection'),
    createTeamStore: reply('createTeamStore'),
    joinTeamStore: reply('joinTeamStore'),
    forgetTeamStore: reply('forgetTeamStore'),
    listTeamMembers: reply('listTeamMembers'),
    checkTeamMemberKey: reply('checkTeamMemberKey'),
    addTeamMember: reply('addTeamMember'),
    removeTeamMember: reply('removeTeamMember'),
    listTeamAudit: reply('listTeamAudit'),
    getBackupStatus: reply('getBackupStatus'),
    createBackup: reply('createBackup'),
    restoreBackup: reply('restoreBackup'),
    setTokenLabel: reply('setTokenLabel'),
    setClientName: reply('setClientName'),
    on: (() => () => {}) as TokenDeskApi['on'],
  };
}

describe('IPC contract types (checked by tsc in npm run typecheck)', () => {
  it('preload: the complete surface satisfies TokenDeskApi; one left out or one extra does not', () => {
    const complete = preloadSurface() satisfies TokenDeskApi;
    const { deleteToken: _left, ...missingOne } = preloadSurface();
    // @ts-expect-error preload without `deleteToken` is not a TokenDeskApi
    const incomplete: TokenDeskApi = missingOne;
    // @ts-expect-error a function the contract does not list (a generic `invoke`) is refused
    const extra: TokenDeskApi = { ...preloadSurface(), invoke: reply('getStatus') };
    // @ts-expect-error a function wired to another channel's types is refused (request shapes differ)
    const crossed: TokenDeskApi = { ...preloadSurface(), deleteToken: reply('unlockStore') };
    expect([complete, incomplete, extra, crossed]).toHaveLength(4);
  });

  it('contract: each method is declared by one area; one two areas declare is named by the type check', () => {
    const once: [MethodsDeclaredTwice<[{ getStatus: 1 }, { lockStore: 1 }]>] extends [never] ? true : false =
      true;
    // @ts-expect-error `lockStore` declared by two areas (a spread would silently keep the last) is not `never`
    const twice: [MethodsDeclaredTwice<[{ lockStore: 1 }, { getStatus: 1; lockStore: 2 }]>] extends [never]
      ? true
      : false = true;
    expect([eachMethodDeclaredOnce, once, twice]).toEqual([true, true, true]);
  });

  it('main: a handler left out, added, or returning the wrong response is a type error', () => {
    const handlers = Object.fromEntries(
      (Object.keys(ipcContract) as IpcMethod[]).map((m) => [m, async () => ({})]),
    ) as unknown as IpcHandlers;
    const { clearAllTokens: _left, ...missingOne } = handlers;
    // @ts-expect-error main without a `clearAllTokens` handler is not an IpcHandlers
    const incomplete: IpcHandlers = missingOne;
    // @ts-expect-error a handler for a channel that is not in the contract is refused
    const extra: IpcHandlers = { ...handlers, eval: async () => ({}) };
    // @ts-expect-error a handler whose result does not match the response schema is refused
    const wrong: IpcHandlers = { ...handlers, listTokens: async () => ({ rows: [] }) };
    // @ts-expect-error listTokens answers the compact wire form (encodeTokenList), not TokenView[]
    const unencoded: IpcHandlers = { ...handlers, listTokens: async () => [] as TokenView[] };
    expect([incomplete, extra, wrong, unencoded]).toHaveLength(4);
  });

  it('renderer: the derived API refuses a request its schema would refuse', () => {
    const api = preloadSurface() satisfies TokenDeskApi;
    // @ts-expect-error `revoke` is required by the deleteToken request schema
    const missingField = () => api.deleteToken({ id: 't1' });
    // @ts-expect-error `id` is a string in the schema
    const wrongType = () => api.refreshToken({ id: 42 });
    // @ts-expect-error an event the contract does not list
    const unknownEvent = () => api.on('tokens.secret', () => {});
    // @ts-expect-error the bridge's listTokens answers the wire form; rows come from decodeTokenList
    const rawRows = async () => ((await api.listTokens({})) as { ok: true; value: TokenView[] }).value;
    expect([missingField, wrongType, unknownEvent, rawRows]).toHaveLength(4);
  });
});
