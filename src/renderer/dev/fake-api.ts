import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import { DATA_CENTER_IDS, DATA_CENTERS, ENVIRONMENTS } from '../../shared/datacenters';
import type { ErrorCode } from '../../shared/errors/error-codes';
import type { IpcEventName, IpcEventPayload, IpcResult, TokenDeskApi } from '../../shared/ipc/contract';
import type { SourceView } from '../../shared/ipc/sources';
import { encodeTokenList } from '../../shared/ipc/token-list';
import type {
  AppStatus,
  AuditEntry,
  ClearAllResult,
  Settings,
  TestCallResult,
  TokenStatus,
  TokenView,
} from '../../shared/ipc/views';

/**
 * DEVELOPMENT ONLY. An in-memory TokenDeskApi so the renderer can be looked at in a plain browser
 * (`?rows=10000`, `?state=locked|uninitialised`, `?empty=1`). Loaded by main.tsx through a dynamic import
 * behind `import.meta.env.DEV`, so it never reaches a production build.
 */
type Listener = (payload: unknown) => void;

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
const fail = (code: ErrorCode, message: string, hint?: string): IpcResult<never> => ({
  ok: false,
  error: hint ? { code, message, hint } : { code, message },
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FIRST = [
  'ana',
  'bob',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kemal',
  'lena',
  'mo',
  'nia',
];
const LAST = ['silva', 'meyer', 'wong', 'okafor', 'berg', 'haddad', 'novak', 'sato', 'ruiz', 'kaur'];
const ORGS = ['acme.com', 'globex.eu', 'initech.in', 'umbrella.jp', 'hooli.com.au'];

/** Deterministic 30-character ids that look like Zoho client ids (a few clients shared by many users). */
function pseudoId(seed: number): string {
  let x = (seed + 1) * 2654435761;
  let out = '';
  for (let k = 0; k < 30; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[x % 36];
  }
  return out;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function makeToken(i: number, now: number): TokenView {
  // Rows 4 and 6 make even a short list (`?rows=8`) show every status.
  const status: TokenStatus =
    i % 47 === 0 || i === 6
      ? 'unreadable'
      : i % 13 === 0 || i === 4
        ? 'reauth'
        : i % 7 === 0
          ? 'expired'
          : i % 5 === 0
            ? 'expiring'
            : 'valid';
  const dc = pick(DATA_CENTER_IDS, i % 5 === 0 ? 1 : i % 3);
  const env = pick(ENVIRONMENTS, i % 7 === 0 || i === 2 ? 1 : i % 11 === 0 ? 2 : 0);
  const expiresAt =
    status === 'valid'
      ? now + ((i * 137) % 3300) * 1000 + 300_000
      : status === 'expiring'
        ? now + ((i * 31) % 240) * 1000 + 10_000
        : status === 'unreadable'
          ? null
          : now - ((i * 53) % 7200) * 1000;
  const tested = i % 3 !== 0;
  const lastTest: TestCallResult | null = tested
    ? {
        at: now - ((i * 911) % 86_400) * 1000,
        ok: status !== 'reauth',
        httpStatus: status === 'reauth' ? 401 : 200,
        latencyMs: 120 + ((i * 37) % 600),
        userEmail: null,
        userName: null,
        orgName: 'Acme Corp',
        orgId: '7000000012345',
        refreshed: i % 4 === 0,
        errorCode: status === 'reauth' ? 'INVALID_TOKEN' : null,
        message: status === 'reauth' ? 'Zoho rejected the access token.' : null,
      }
    : null;
  const email = `${pick(FIRST, i)}.${pick(LAST, i * 7 + Math.floor(i / 14))}${i > 140 ? i : ''}@${pick(ORGS, Math.floor(i / 3))}`;
  return {
    id: `t${String(i).padStart(5, '0')}`,
    userName: status === 'unreadable' ? null : email,
    clientId: `1000.${pseudoId(i % 6)}`,
    dataCenter: status === 'unreadable' ? null : dc,
    environment: status === 'unreadable' ? null : env,
    apiDomain: DATA_CENTERS[dc].apiDomains[env],
    scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.modules.ALL'],
    status,
    accessTokenPreview:
      status === 'unreadable' ? null : `1000.${(i * 97).toString(16)}…${(i * 13).toString(16).slice(-4)}`,
    refreshTokenPreview:
      status === 'unreadable' ? null : `1000.${(i * 89).toString(16)}…${(i * 17).toString(16).slice(-4)}`,
    expiresAt,
    createdAt: now - ((i * 7919) % 9_000_000) * 1000,
    updatedAt: now - ((i * 613) % 3600) * 1000,
    lastRefreshedAt: status === 'unreadable' ? null : now - ((i * 613) % 90_000) * 1000,
    lastError: status === 'reauth' ? 'invalid_code: the refresh token was revoked.' : null,
    lastTest: lastTest ? { ...lastTest, userEmail: email, userName: email.split('@')[0] ?? null } : null,
  };
}

export function installFakeApi(params: URLSearchParams): void {
  const now = Date.now();
  const count = params.get('empty') ? 0 : Number(params.get('rows') ?? 40);
  let tokens: TokenView[] = Array.from({ length: count }, (_, i) => makeToken(i + 1, now));
  const listeners = new Map<IpcEventName, Set<Listener>>();
  const emit = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  let passphrase = 'correct horse battery staple';
  // A fresh install (`?empty=1`) or a fresh demo (`?demo=1`) has no history, so the demo walkthrough starts
  // from its first step.
  const history = params.get('empty') || params.get('demo') ? 0 : 300;
  let audit: AuditEntry[] = Array.from({ length: history }, (_, i) => ({
    id: i + 1,
    at: now - i * 97_000,
    action: pick(['refresh', 'test', 'grant', 'revoke', 'delete', 'copy', 'unlock'] as const, i),
    tokenId: `t${String((i % 40) + 1).padStart(5, '0')}`,
    userName: tokens[i % Math.max(1, tokens.length)]?.userName ?? null,
    outcome: i % 9 === 0 ? 'failure' : 'success',
    detail:
      i % 9 === 0
        ? 'Zoho answered invalid_code: the refresh token was revoked.'
        : 'Access token refreshed at accounts.zoho.com.',
  }));
  const log = (
    action: AuditEntry['action'],
    t: TokenView | null,
    outcome: AuditEntry['outcome'],
    detail: string,
  ) => {
    audit = [
      {
        id: audit.length + 1,
        at: Date.now(),
        action,
        tokenId: t?.id ?? null,
        userName: t?.userName ?? null,
        outcome,
        detail,
      },
      ...audit,
    ];
  };
  let status: AppStatus = {
    store: (params.get('state') as AppStatus['store'] | null) ?? 'unlocked',
    protector: params.get('state') === 'uninitialised' ? null : 'passphrase',
    keychain: {
      available: false,
      reason: 'Linux reports the basic_text backend, which stores secrets in plain text.',
    },
    demo: {
      running: params.get('demo') === '1',
      clientId: '1000.DEMOCLIENT0000000000000000000',
      clientSecret: 'demo-secret-not-a-real-secret',
      redirectUri: 'http://127.0.0.1:53682/callback',
      users: ['demo.admin@example.com'],
      dataCenters: ['US', 'EU'],
    },
    version: '0.1.0-dev',
    missingStore:
      params.get('missing') === '1'
        ? { reason: 'missing', message: 'The token store that was set up here is gone (fake back end).' }
        : null,
    unlockRetryAt: null,
  };
  let settings: Settings = {
    defaultDataCenter: 'EU',
    defaultEnvironment: 'production',
    redirectPort: 53682,
    redirectPath: '/callback',
    demoMode: false,
    theme: (params.get('theme') as Settings['theme'] | null) ?? 'system',
    autoLockSeconds: 15 * 60,
    healthCheckHours: 0,
  };
  const find = (id: string) => tokens.find((t) => t.id === id);
  const changed = (reason: string) => emit('tokens.changed', { reason });
  let lastBackupAt: number | null = null;
  const cancelled = new Set<string>();

  /** A grant code or imported refresh token that Zoho accepted: a new valid row at the top. */
  const addToken = (dc: DataCenterId, env: ZohoEnvironment, reason: string): TokenView => {
    const t: TokenView = {
      ...makeToken(tokens.length + 1, Date.now()),
      dataCenter: dc,
      environment: env,
      status: 'valid',
    };
    tokens = [t, ...tokens];
    changed(reason);
    return t;
  };

  async function browserFlow(
    flowId: string,
    dc: DataCenterId,
    env: ZohoEnvironment,
    replace?: TokenView,
  ): Promise<IpcResult<TokenView>> {
    const authUrl = `${DATA_CENTERS[dc].accountsServer}/oauth/v2/auth?client_id=1000.DEMO&response_type=code&access_type=offline&prompt=consent`;
    for (const stage of [
      'starting',
      'waiting-for-browser',
      'exchanging-code',
      'fetching-user',
      'saving',
    ] as const) {
      if (cancelled.has(flowId)) {
        emit('signin.progress', { flowId, stage: 'cancelled', authUrl, message: null });
        return fail('CANCELLED', 'Sign-in was cancelled.');
      }
      emit('signin.progress', {
        flowId,
        stage,
        authUrl: stage === 'starting' ? null : authUrl,
        message: null,
      });
      await wait(stage === 'waiting-for-browser' ? 4000 : 600);
    }
    const t: TokenView = {
      ...(replace ?? makeToken(tokens.length + 1, Date.now())),
      dataCenter: dc,
      environment: env,
      status: 'valid',
      expiresAt: Date.now() + 3_600_000,
      lastRefreshedAt: Date.now(),
      lastError: null,
      createdAt: replace?.createdAt ?? Date.now(),
      // A new sign-in has not been tested yet.
      lastTest: replace?.lastTest ?? null,
    };
    tokens = replace ? tokens.map((x) => (x.id === t.id ? t : x)) : [t, ...tokens];
    emit('signin.progress', { flowId, stage: 'done', authUrl, message: null });
    log('grant', t, 'success', 'Signed in with the browser.');
    changed('signin');
    return ok(t);
  }

  let fakeSources: SourceView[] = [];
  const api: TokenDeskApi = {
    getStatus: async () => ok(status),
    setupStore: async (req) => {
      await wait(500);
      if (req.protector === 'passphrase') passphrase = req.passphrase;
      status = { ...status, store: 'unlocked', protector: req.protector, missingStore: null };
      return ok({ ...status, warning: null });
    },
    unlockStore: async (req) => {
      await wait(400);
      if (req.passphrase !== passphrase) {
        log('unlock_failed', null, 'failure', 'Wrong passphrase.');
        return fail(
          'WRONG_PASSPHRASE',
          'That passphrase is not right.',
          'Check Caps Lock and the keyboard layout.',
        );
      }
      status = { ...status, store: 'unlocked', lockedBy: null };
      return ok({ ...status, warning: null });
    },
    unlockWithKeychain: async () => {
      if (status.protector !== 'keychain')
        return fail('KEYCHAIN_UNAVAILABLE', 'This store uses a passphrase.');
      status = { ...status, store: 'unlocked', lockedBy: null };
      return ok({ ...status, warning: null });
    },
    lockStore: async () => {
      status = { ...status, store: 'locked', lockedBy: 'manual' };
      log('lock', null, 'success', 'Locked by the user.');
      emit('store.locked', { reason: 'manual' });
      return ok(status);
    },
    noteActivity: async () => ok({ noted: true as const }),
    changePassphrase: async (req) => {
      await wait(600);
      if (req.current !== passphrase) return fail('WRONG_PASSPHRASE', 'The current passphrase is not right.');
      passphrase = req.next;
      return ok({ changed: true as const, warning: null });
    },
    listTokens: async () => {
      await wait(150);
      // The same compact wire form main answers (src/shared/ipc/token-list.ts).
      return ok(encodeTokenList(tokens));
    },
    refreshToken: async ({ id }) => {
      await wait(700);
      const t = find(id);
      if (!t) return fail('NOT_FOUND', `No token with id ${id} is stored.`);
      if (t.status === 'reauth')
        return fail(
          'REAUTH_REQUIRED',
          'Zoho answered invalid_code: the refresh token was revoked or evicted.',
        );
      const next = {
        ...t,
        status: 'valid' as const,
        expiresAt: Date.now() + 3_600_000,
        lastRefreshedAt: Date.now(),
      };
      tokens = tokens.map((x) => (x.id === id ? next : x));
      log('refresh', t, 'success', 'Access token refreshed.');
      changed('refresh');
      return ok(next);
    },
    testToken: async ({ id }) => {
      await wait(900);
      const t = find(id);
      if (!t) return fail('NOT_FOUND', `No token with id ${id} is stored.`);
      const good = t.status !== 'reauth';
      const result: TestCallResult = {
        at: Date.now(),
        ok: good,
        httpStatus: good ? 200 : 401,
        latencyMs: 180 + Math.round(Math.random() * 200),
        userEmail: t.userName,
        userName: t.userName?.split('@')[0] ?? null,
        orgName: good ? 'Acme Corp' : null,
        orgId: good ? '7000000012345' : null,
        refreshed: t.status === 'expired',
        errorCode: good ? null : 'INVALID_TOKEN',
        message: good ? null : 'Zoho rejected the access token and the refresh token.',
      };
      tokens = tokens.map((x) =>
        x.id === id
          ? {
              ...x,
              lastTest: result,
              ...(t.status === 'expired'
                ? { status: 'valid' as const, expiresAt: Date.now() + 3_600_000 }
                : {}),
            }
          : x,
      );
      log('test', t, good ? 'success' : 'failure', `CurrentUser answered HTTP ${result.httpStatus}.`);
      changed('test');
      return ok(result);
    },
    copyAccessToken: async ({ id }) => {
      await wait(200);
      const t = find(id);
      if (!t) return fail('NOT_FOUND', 'Gone.');
      log('copy', t, 'success', 'Access token copied to the clipboard.');
      return ok({ copied: true as const, expiresAt: t.expiresAt });
    },
    deleteToken: async ({ id, revoke, deleteIfRevokeFails }) => {
      await wait(800);
      const t = find(id);
      if (!t) return fail('NOT_FOUND', 'Gone.');
      // Tokens that need re-authorisation fail to revoke, to exercise the "Delete locally anyway" path.
      const revokeFails = revoke && t.status === 'reauth';
      const outcome =
        !revoke || t.status === 'unreadable'
          ? { state: 'skipped' as const }
          : revokeFails
            ? {
                state: 'failed' as const,
                code: 'INVALID_TOKEN',
                message: 'Zoho answered HTTP 400: the token is not valid.',
              }
            : { state: 'revoked' as const };
      const deleted = !revokeFails || deleteIfRevokeFails === true;
      if (deleted) tokens = tokens.filter((x) => x.id !== id);
      if (outcome.state !== 'skipped')
        log('revoke', t, outcome.state === 'revoked' ? 'success' : 'failure', 'Revoke at Zoho.');
      log('delete', t, deleted ? 'success' : 'failure', deleted ? 'Deleted.' : 'Kept: revoke failed.');
      changed('delete');
      return ok({ id, revoke: outcome, deleted });
    },
    clearAllTokens: async ({ revoke, expectedCount, deleteIfRevokeFails }) => {
      if (expectedCount !== tokens.length)
        return fail('COUNT_MISMATCH', `The store holds ${tokens.length} tokens, not ${expectedCount}.`);
      const results: ClearAllResult['results'] = [];
      const total = tokens.length;
      for (const [i, t] of tokens.entries()) {
        if (i % Math.max(1, Math.floor(total / 20)) === 0) {
          emit('tokens.clearProgress', { done: i, total });
          await wait(120);
        }
        const failed = revoke && t.status === 'reauth';
        const state =
          !revoke || t.status === 'unreadable'
            ? { state: 'skipped' as const }
            : failed
              ? { state: 'failed' as const, code: 'INVALID_TOKEN', message: 'Zoho answered HTTP 400.' }
              : { state: 'revoked' as const };
        results.push({
          id: t.id,
          userName: t.userName,
          revoke: state,
          deleted: !failed || deleteIfRevokeFails === true,
        });
      }
      emit('tokens.clearProgress', { done: total, total });
      tokens = tokens.filter((t) => !results.find((r) => r.id === t.id)?.deleted);
      for (const r of results)
        if (r.revoke.state !== 'skipped')
          log(
            'revoke',
            find(r.id) ?? null,
            r.revoke.state === 'revoked' ? 'success' : 'failure',
            'Revoke at Zoho.',
          );
      log('clear', null, 'success', `Cleared ${total} tokens.`);
      changed('clear');
      return ok({
        results,
        deletedCount: results.filter((r) => r.deleted).length,
        revokeFailedCount: results.filter((r) => r.revoke.state === 'failed').length,
      });
    },
    reauthorise: async ({ id, flowId }) => {
      const t = find(id);
      if (!t) return fail('NOT_FOUND', 'Gone.');
      return browserFlow(flowId, t.dataCenter ?? 'US', t.environment ?? 'production', t);
    },
    connectedAccounts: async ({ clientId, dataCenter, environment }) =>
      ok({
        userNames: tokens
          .filter(
            (t) => t.clientId === clientId && t.dataCenter === dataCenter && t.environment === environment,
          )
          .map((t) => t.userName ?? '')
          .filter((name) => name !== ''),
      }),
    // The development fake never loses a revoke: nothing is ever pending here.
    listPendingRevokes: async () => ok([]),
    // Jobs over many tokens need the real core (docs/health.md): the fake back end says so.
    checkAllTokens: async () => fail('NOT_SUPPORTED', 'Check all needs the real core.'),
    runTokenJob: async () => fail('NOT_SUPPORTED', 'Bulk actions need the real core.'),
    cancelTokenJob: async () => ok({ cancelled: false }),
    exportTokenList: async () => fail('NOT_SUPPORTED', 'The list export needs the real core.'),
    retryPendingRevoke: async ({ id }) =>
      ok({ id, revoke: { state: 'already-dead' as const }, resolved: true }),
    signInWithBrowser: async (req) => {
      if (req.clientId.includes('bad')) {
        await wait(500);
        return fail(
          'INVALID_CLIENT',
          'Zoho answered invalid_client.',
          'Check the client id and secret, and that the client belongs to the EU data center.',
        );
      }
      return browserFlow(req.flowId, req.dataCenter, req.environment);
    },
    cancelSignIn: async ({ flowId }) => {
      cancelled.add(flowId);
      return ok({ cancelled: true });
    },
    signInWithGrantCode: async (req) => {
      await wait(700);
      if (req.grantCode.length < 10) return fail('INVALID_CODE', 'Zoho answered invalid_code.');
      return ok(addToken(req.dataCenter, req.environment, 'grant'));
    },
    importRefreshToken: async (req) => {
      await wait(700);
      if (!req.refreshToken.startsWith('1000.'))
        return fail('INVALID_CODE', 'Zoho did not accept this refresh token.');
      return ok(addToken(req.dataCenter, req.environment, 'import'));
    },
    listAudit: async (f) => {
      await wait(120);
      const text = f.text?.toLowerCase();
      return ok(
        audit
          .filter(
            (e) =>
              (!f.action || e.action === f.action) &&
              (!f.outcome || e.outcome === f.outcome) &&
              (!f.since || e.at >= f.since),
          )
          .filter(
            (e) =>
              !text ||
              e.detail.toLowerCase().includes(text) ||
              (e.userName ?? '').toLowerCase().includes(text),
          )
          .slice(0, f.limit ?? 1000),
      );
    },
    exportAuditCsv: async () =>
      ok({ csv: `at,action\n${audit.map((e) => `${e.at},${e.action}`).join('\n')}`, count: audit.length }),
    getSettings: async () => ok(settings),
    updateSettings: async (req) => {
      await wait(300);
      settings = { ...settings, ...req };
      return ok(settings);
    },
    startDemo: async () => {
      await wait(800);
      status = { ...status, demo: status.demo ? { ...status.demo, running: true } : null };
      return ok(status);
    },
    // The dev page in a plain browser writes no log file.
    openLogFolder: async () => ok({ opened: false, path: '' }),
    // Token sources: an in-memory list, so the sources view can be worked on without a database.
    listSources: async () => ok(fakeSources),
    testSource: async (req) => {
      await wait(400);
      return ok(
        req.settings.kind === 'mysql' && req.settings.host === 'nowhere'
          ? {
              ok: false,
              message: 'Nothing answers at nowhere:3306.',
              tokenCount: null,
              unreadableCount: null,
            }
          : { ok: true, message: null, tokenCount: 3, unreadableCount: 0 },
      );
    },
    addSource: async (req) => {
      await wait(400);
      const { password: _password, ...settings } = req.settings as typeof req.settings & {
        password?: string;
      };
      const view = {
        id: `src-${fakeSources.length + 1}`,
        kind: req.settings.kind,
        displayName: `${req.settings.kind} ${'path' in req.settings ? req.settings.path : 'database'}`,
        plaintextAtRest: true,
        settings,
        hasPassword: req.settings.kind === 'mysql' && (req.settings.password ?? '') !== '',
        health: { ok: true, message: null, tokenCount: 0, unreadableCount: 0 },
      };
      fakeSources = [...fakeSources, view];
      return ok(view);
    },
    updateSource: async (req) => {
      const found = fakeSources.find((x) => x.id === req.id);
      return found ? ok(found) : fail('NOT_FOUND', 'That token source is not configured (any more).');
    },
    removeSource: async (req) => {
      fakeSources = fakeSources.filter((x) => x.id !== req.id);
      return ok({ removed: true as const });
    },
    transferTokens: async () => ok({ outcomes: [], copied: 0, moved: 0, failed: 0 }),
    getBackupStatus: async () =>
      ok({
        lastBackupAt,
        remindAfterDays: 30,
        reminderDue: lastBackupAt === null,
        suggestedName: 'tokendesk-dev.tdbackup',
        fileDialogs: false,
      }),
    createBackup: async (req) => {
      for (const percent of [10, 50, 90]) {
        emit('backup.progress', { operation: 'backup', stage: 'copying', percent });
        await wait(200);
      }
      lastBackupAt = Date.now();
      return ok({
        outcome: 'written',
        path: req.path ?? 'dev.tdbackup',
        bytes: 48_000,
        tokens: tokens.length,
        at: lastBackupAt,
      });
    },
    restoreBackup: async (req) => {
      await wait(500);
      if (req.passphrase !== passphrase)
        return fail('BACKUP_WRONG_PASSPHRASE', 'That passphrase does not open this backup.');
      return ok({
        outcome: 'restored',
        path: req.path ?? '',
        tokens: tokens.length,
        keptTokens: 0,
        backupMadeAt: Date.now(),
        previousStoreKeptAs: 'tokendesk.before-restore.db',
      });
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
  Object.defineProperty(window, 'tokendesk', { value: api, configurable: true });
}
