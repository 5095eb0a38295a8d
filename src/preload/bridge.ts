import type { IpcRenderer } from 'electron';
import {
  type IpcEventName,
  type IpcMethod,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
  ipcContract,
  ipcEvents,
  type TokenDeskApi,
} from '../shared/ipc/contract';

/**
 * Builds `window.tokendesk` (docs/architecture.md "IPC contract"): one named function per contract method and an
 * `on` restricted to the contract's events. Never a generic `invoke(channel)` or `send`: a compromised
 * renderer can then reach only what the contract lists, and main still validates every call.
 * Kept apart from index.ts (which only exposes it) so tests can build it with a fake ipcRenderer.
 */
type Ipc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createTokenDeskApi(ipc: Ipc): TokenDeskApi {
  const call =
    <M extends IpcMethod>(method: M) =>
    (request: IpcRequest<M>): Promise<IpcResult<IpcResponse<M>>> =>
      ipc.invoke(ipcContract[method].channel, request);

  // Listed by hand, not generated, so this file reads as the complete surface; `satisfies` makes a
  // method missing from (or extra to) the contract a type error.
  const api = {
    getStatus: call('getStatus'),
    setupStore: call('setupStore'),
    unlockStore: call('unlockStore'),
    unlockWithKeychain: call('unlockWithKeychain'),
    lockStore: call('lockStore'),
    noteActivity: call('noteActivity'),
    changePassphrase: call('changePassphrase'),
    addStorePassphrase: call('addStorePassphrase'),
    removeStorePassphrase: call('removeStorePassphrase'),
    listTokens: call('listTokens'),
    refreshToken: call('refreshToken'),
    testToken: call('testToken'),
    copyAccessToken: call('copyAccessToken'),
    deleteToken: call('deleteToken'),
    clearAllTokens: call('clearAllTokens'),
    reauthorise: call('reauthorise'),
    connectedAccounts: call('connectedAccounts'),
    checkAllTokens: call('checkAllTokens'),
    runTokenJob: call('runTokenJob'),
    cancelTokenJob: call('cancelTokenJob'),
    exportTokenList: call('exportTokenList'),
    listPendingRevokes: call('listPendingRevokes'),
    retryPendingRevoke: call('retryPendingRevoke'),
    signInWithBrowser: call('signInWithBrowser'),
    cancelSignIn: call('cancelSignIn'),
    signInWithGrantCode: call('signInWithGrantCode'),
    importRefreshToken: call('importRefreshToken'),
    listAudit: call('listAudit'),
    exportAuditCsv: call('exportAuditCsv'),
    getSettings: call('getSettings'),
    updateSettings: call('updateSettings'),
    startDemo: call('startDemo'),
    openLogFolder: call('openLogFolder'),
    listSources: call('listSources'),
    testSource: call('testSource'),
    addSource: call('addSource'),
    updateSource: call('updateSource'),
    removeSource: call('removeSource'),
    transferTokens: call('transferTokens'),
    getTeam: call('getTeam'),
    testTeamConnection: call('testTeamConnection'),
    createTeamStore: call('createTeamStore'),
    joinTeamStore: call('joinTeamStore'),
    forgetTeamStore: call('forgetTeamStore'),
    listTeamMembers: call('listTeamMembers'),
    checkTeamMemberKey: call('checkTeamMemberKey'),
    addTeamMember: call('addTeamMember'),
    removeTeamMember: call('removeTeamMember'),
    listTeamAudit: call('listTeamAudit'),
    getBackupStatus: call('getBackupStatus'),
    createBackup: call('createBackup'),
    restoreBackup: call('restoreBackup'),
    setTokenLabel: call('setTokenLabel'),
    setClientName: call('setClientName'),
    on: <E extends IpcEventName>(event: E, listener: (payload: never) => void): (() => void) =>
      subscribe(ipc, event, listener),
  } satisfies TokenDeskApi;
  return api;
}

function subscribe(ipc: Ipc, event: string, listener: (payload: never) => void): () => void {
  if (typeof event !== 'string' || !Object.hasOwn(ipcEvents, event)) {
    throw new Error(`Unknown TokenDesk event "${String(event).slice(0, 80)}".`);
  }
  if (typeof listener !== 'function') throw new Error('A TokenDesk event listener must be a function.');
  const schema = ipcEvents[event as IpcEventName];
  // The IpcRendererEvent is not passed on: it exposes `sender`, which the page must not get.
  const wrapped = (_event: unknown, payload: unknown) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) listener(parsed.data as never);
  };
  ipc.on(event, wrapped);
  return () => {
    ipc.removeListener(event, wrapped);
  };
}
