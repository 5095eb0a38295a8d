import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATA_CENTERS, type DataCenterId, type ZohoEnvironment } from '../src/shared/datacenters';
import { handleApprove, handleAuthPage, handleRevoke, handleToken, parseScopes } from './accounts-routes';
import { type Clock, systemClock } from './clock';
import { type ExpiresInStyle, emptyStats, type SimContext } from './context';
import { handleCrm } from './crm-routes';
import { DEMO_CLIENT, DEMO_SELF_CLIENT, DEMO_USERS } from './demo-data';
import { FaultRegistry } from './faults';
import { readBody, requestParams, sendHtml, sendJson } from './http-util';
import { ZohoState } from './state';
import type { FaultKind, FaultSpec, SimClient, SimDataCenter, SimStats, SimUser } from './types';

export interface ZohoSimulatorOptions {
  /**
   * DCs to run (default US and EU); any of Zoho's DCs. Each gets three HTTP servers: accounts with the
   * production API, the sandbox API and the developer API.
   */
  readonly dataCenters?: readonly DataCenterId[];
  /** Accounts (and production API) port per DC; 0 or absent = a random free port. */
  readonly ports?: Partial<Record<DataCenterId, number>>;
  /** Default 127.0.0.1 (RFC 8252 §8.3: loopback by literal IP). */
  readonly host?: string;
  /** Default: the demo client and the demo self client. */
  readonly clients?: readonly SimClient[];
  /** Default: one demo user in US and one in EU. */
  readonly users?: readonly SimUser[];
  readonly clock?: Clock;
  /** Default 3600 (docs/zoho.md: access token lifetime 1 h). */
  readonly accessTokenLifetimeSec?: number;
  /** Default 120,000 (docs/zoho.md: grant code valid 2-3 minutes). */
  readonly grantCodeLifetimeMs?: number;
  /** Default 15 (docs/zoho.md: 10 or 15). */
  readonly maxAccessTokensPerRefreshToken?: number;
}

export interface SelfClientGrant {
  readonly code: string;
  readonly dataCenter: DataCenterId;
  readonly accountsServer: string;
  readonly expiresAt: number;
}

export interface ZohoSimulator {
  readonly dataCenters: readonly SimDataCenter[];
  /** Throws when the simulator does not run `id`. */
  dataCenter(id: DataCenterId): SimDataCenter;
  readonly clients: readonly SimClient[];
  readonly users: readonly SimUser[];
  readonly clock: Clock;
  readonly stats: SimStats;
  registerClient(client: SimClient): void;
  /**
   * Adds a redirect URI to a registered client, as an admin does in Zoho's API console. Demo mode
   * registers the loopback URI the app actually listens on (its port may differ from the default).
   */
  allowRedirectUri(clientId: string, redirectUri: string): void;
  registerUser(user: SimUser): void;
  /** What Zoho's API console does for a Self Client: a grant code, no redirect. */
  issueSelfClientGrantCode(input: {
    clientId: string;
    scopes: readonly string[] | string;
    userEmail: string;
    lifetimeMs?: number;
  }): SelfClientGrant;
  setAccessTokenLifetime(seconds: number): void;
  /** `legacy-ms` answers `expires_in` in ms plus `expires_in_sec`, as older Zoho servers did. */
  setExpiresInStyle(style: ExpiresInStyle): void;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  /** Requests a `hold` fault is keeping unanswered. */
  readonly heldRequests: number;
  /** Lets the `count` oldest held requests (default: all) go on to their normal answer. */
  releaseHeld(count?: number): void;
  resetStats(): void;
  isRefreshTokenActive(refreshToken: string): boolean;
  /** True when Zoho deleted this refresh token because its user made a 21st for the same client. */
  isRefreshTokenEvicted(refreshToken: string): boolean;
  /** Active refresh tokens of a user for a client (Zoho keeps at most 20). */
  activeRefreshTokenCount(userEmail: string, clientId: string): number;
  /** Every refresh token that still works (not revoked, not evicted). */
  activeRefreshTokens(): string[];
  close(): Promise<void>;
}

type AccountsHandler = typeof handleToken;

const ACCOUNTS_ROUTES: Readonly<Record<string, AccountsHandler>> = {
  'GET /oauth/v2/auth': handleAuthPage,
  'POST /oauth/v2/auth/approve': handleApprove,
  'POST /oauth/v2/token': handleToken,
  'POST /oauth/v2/token/revoke': handleRevoke,
};

function requestKinds(path: string, params: ReadonlyMap<string, string>): FaultKind[] {
  if (path.startsWith('/oauth/v2/auth')) return ['auth'];
  if (path === '/oauth/v2/token/revoke') return ['revoke'];
  if (path === '/oauth/v2/token') {
    const grant = params.get('grant_type');
    return [
      'token',
      ...(grant === 'refresh_token' ? (['refresh'] as const) : []),
      ...(grant === 'authorization_code' ? (['code-exchange'] as const) : []),
    ];
  }
  if (path.startsWith('/crm/')) return ['crm'];
  return [];
}

export async function startZohoSimulator(options: ZohoSimulatorOptions = {}): Promise<ZohoSimulator> {
  const dcIds = options.dataCenters ?? (['US', 'EU'] as const);
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const state = new ZohoState({
    clock,
    grantCodeLifetimeMs: options.grantCodeLifetimeMs ?? 120_000,
    maxAccessTokensPerRefreshToken: options.maxAccessTokensPerRefreshToken ?? 15,
    activeDataCenters: dcIds,
  });
  state.accessTokenLifetimeSec = options.accessTokenLifetimeSec ?? 3600;
  for (const c of options.clients ?? [DEMO_CLIENT, DEMO_SELF_CLIENT]) state.addClient(c);
  for (const u of options.users ?? DEMO_USERS) state.addUser(u);

  const dataCenters = new Map<DataCenterId, SimDataCenter>();
  const ctx: SimContext = { state, dataCenters, stats: emptyStats(), expiresInStyle: 'seconds' };
  const faults = new FaultRegistry();
  const pendingTimers = new Set<NodeJS.Timeout>();
  /** Resolvers of requests a `hold` fault keeps, oldest first. */
  const held: Array<() => void> = [];
  const servers: Server[] = [];

  const delay = (ms: number, req: IncomingMessage) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      pendingTimers.add(timer);
      req.socket.once('close', done);
      function done() {
        clearTimeout(timer);
        pendingTimers.delete(timer);
        resolve();
      }
    });

  /** Until `releaseHeld` lets the request go, or its client goes away. */
  const hold = (req: IncomingMessage) =>
    new Promise<void>((resolve) => {
      const release = () => {
        const index = held.indexOf(release);
        if (index >= 0) held.splice(index, 1);
        resolve();
      };
      held.push(release);
      req.socket.once('close', release);
    });

  async function handle(
    dc: DataCenterId,
    environment: ZohoEnvironment,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const body = await readBody(req);
    const params = await requestParams(req, url, body);
    const path = url.pathname;
    if (path === '/oauth/v2/token') {
      const grant = params.get('grant_type');
      const key = grant === 'authorization_code' || grant === 'refresh_token' ? grant : 'other';
      ctx.stats.tokenRequests[key] += 1;
    }
    const fault = faults.take(dc, path, requestKinds(path, params));
    if (fault?.fault === 'drop') {
      // No answer at all: the client sees a reset connection.
      req.socket.destroy();
      return;
    }
    if (fault?.fault === '5xx') {
      sendHtml(res, fault.status ?? 500, '<html><body><h1>Internal Server Error</h1></body></html>');
      return;
    }
    if (fault?.fault === 'invalid_client') {
      sendJson(res, 200, { error: 'invalid_client' });
      return;
    }
    if (fault?.fault === 'slow' || fault?.fault === 'hold') {
      await (fault.fault === 'slow' ? delay(fault.delayMs ?? 10_000, req) : hold(req));
      if (req.socket.destroyed) return;
    }
    route(dc, environment, req, url, params, res);
  }

  function route(
    dc: DataCenterId,
    environment: ZohoEnvironment,
    req: IncomingMessage,
    url: URL,
    params: ReadonlyMap<string, string>,
    res: ServerResponse,
  ): void {
    const path = url.pathname;
    // Accounts answers only at the accounts origin (which also serves the production API).
    const accountsRoute = environment === 'production' ? ACCOUNTS_ROUTES[`${req.method} ${path}`] : undefined;
    if (accountsRoute) accountsRoute(ctx, dc, params, res);
    else if (path.startsWith('/crm/')) handleCrm(ctx, dc, environment, req, url, res);
    else sendJson(res, 404, { error: 'not_found' });
  }

  async function listen(dc: DataCenterId, environment: ZohoEnvironment, port: number): Promise<string> {
    const server = createServer((req, res) => {
      handle(dc, environment, req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 400, { error: 'invalid_request' });
        else res.destroy();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  for (const id of dcIds) {
    const origin = await listen(id, 'production', options.ports?.[id] ?? 0);
    const apiDomains = {
      production: origin,
      sandbox: await listen(id, 'sandbox', 0),
      developer: await listen(id, 'developer', 0),
    };
    dataCenters.set(id, {
      id,
      location: DATA_CENTERS[id].location,
      accountsUrl: origin,
      apiDomain: origin,
      apiDomains,
      port: Number(new URL(origin).port),
    });
  }

  return {
    dataCenters: [...dataCenters.values()],
    dataCenter(id) {
      const found = dataCenters.get(id);
      if (!found) throw new Error(`The simulator does not run data center ${id}`);
      return found;
    },
    get clients() {
      return [...state.clients.values()];
    },
    get users() {
      return [...state.users.values()];
    },
    clock,
    get stats(): SimStats {
      return ctx.stats;
    },
    registerClient: (c) => state.addClient(c),
    allowRedirectUri(clientId, redirectUri) {
      const client = state.clients.get(clientId);
      if (!client || client.type === 'self-client' || client.redirectUris.includes(redirectUri)) return;
      state.addClient({ ...client, redirectUris: [...client.redirectUris, redirectUri] });
    },
    registerUser: (u) => state.addUser(u),
    issueSelfClientGrantCode(input) {
      const client = state.clients.get(input.clientId);
      if (client?.type !== 'self-client') throw new Error('Not a registered self client');
      const user = state.findUser(input.userEmail);
      if (!user) throw new Error('No such user');
      const home = dataCenters.get(user.dataCenter);
      if (!home) throw new Error(`The user's data center ${user.dataCenter} is not running`);
      const scopes = typeof input.scopes === 'string' ? parseScopes(input.scopes) : input.scopes;
      // Self-client codes are redeemed without a redirect URI and always yield a refresh token.
      const issued = state.issueCode({
        clientId: client.clientId,
        user,
        scopes,
        redirectUri: null,
        offline: true,
        forceConsent: true,
        ...(input.lifetimeMs !== undefined ? { lifetimeMs: input.lifetimeMs } : {}),
      });
      if (!issued.ok) throw new Error('Grant code limit reached (10 per 10 minutes per client)');
      ctx.stats.grantCodesIssued += 1;
      return {
        code: issued.code,
        dataCenter: user.dataCenter,
        accountsServer: home.accountsUrl,
        expiresAt: issued.expiresAt,
      };
    },
    setAccessTokenLifetime(seconds) {
      state.accessTokenLifetimeSec = seconds;
    },
    setExpiresInStyle(style) {
      ctx.expiresInStyle = style;
    },
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    get heldRequests() {
      return held.length;
    },
    releaseHeld(count = held.length) {
      for (const release of held.slice(0, count)) release();
    },
    resetStats() {
      ctx.stats = emptyStats();
    },
    isRefreshTokenActive: (rt) => state.isRefreshTokenActive(rt),
    isRefreshTokenEvicted: (rt) => state.isRefreshTokenEvicted(rt),
    activeRefreshTokenCount: (email, clientId) => state.activeRefreshTokenCount(email, clientId),
    activeRefreshTokens: () => state.activeRefreshTokenValues(),
    async close() {
      for (const t of pendingTimers) clearTimeout(t);
      pendingTimers.clear();
      for (const release of held.slice()) release();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
