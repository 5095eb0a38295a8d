import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataCenterId, ZohoEnvironment } from '../src/shared/datacenters';
import type { Clock } from './clock';
import { newZohoToken } from './ids';
import { limits } from './limits';
import type { SimClient, SimUser } from './types';

/**
 * Zoho Accounts' token bookkeeping, without HTTP: grant codes, refresh tokens, access tokens and the
 * documented limits (docs/zoho.md "Limits"). The HTTP layer (accounts-routes.ts) turns results into responses.
 */

interface GrantCode {
  readonly code: string;
  readonly clientId: string;
  readonly userEmail: string;
  readonly scopes: readonly string[];
  /** null for self-client codes, which are redeemed without a redirect URI. */
  readonly redirectUri: string | null;
  readonly dataCenter: DataCenterId;
  readonly expiresAt: number;
  /** Zoho returns a refresh token only for `access_type=offline`. */
  readonly offline: boolean;
  /** `prompt=consent`: a new refresh token even if the user already has one for this client. */
  readonly forceConsent: boolean;
  /** PKCE (RFC 7636): the challenge sent with the authorization request, if any. */
  readonly pkce: PkceChallenge | null;
  used: boolean;
}

export interface PkceChallenge {
  readonly challenge: string;
  /** Zoho's default is `plain` when a challenge comes without a method. */
  readonly method: 'S256' | 'plain';
}

/** RFC 7636 §4.6: the verifier, transformed by the method, must equal the challenge. */
function verifierMatches(pkce: PkceChallenge, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const derived =
    pkce.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(derived);
  const b = Buffer.from(pkce.challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface RefreshTokenRecord {
  readonly token: string;
  readonly clientId: string;
  readonly userEmail: string;
  readonly scopes: readonly string[];
  readonly dataCenter: DataCenterId;
  revoked: boolean;
  /** Deleted by Zoho because the user made a 21st refresh token for the same client. */
  evicted: boolean;
  /**
   * The environment whose API domain the grant's tokens were first used at; the others refuse them after
   * that (see README "Environments"). null until the first CRM call.
   */
  environment: ZohoEnvironment | null;
  /** Times of successful refreshes, for the 10-per-10-minutes limit. */
  refreshTimes: number[];
}

export interface AccessTokenRecord {
  readonly token: string;
  readonly refreshToken: string | null;
  readonly clientId: string;
  readonly userEmail: string;
  readonly scopes: readonly string[];
  readonly dataCenter: DataCenterId;
  readonly expiresAt: number;
  revoked: boolean;
  /** For an access token without a refresh token: its own environment binding (see RefreshTokenRecord). */
  environment: ZohoEnvironment | null;
}

/** The error strings Zoho's token endpoint puts in `{"error": ...}`. */
export type TokenErrorCode = 'invalid_code' | 'invalid_client' | 'invalid_redirect_uri' | 'throttled';

export type TokenOutcome =
  | {
      readonly ok: true;
      readonly accessToken: AccessTokenRecord;
      readonly refreshToken: string | null;
    }
  | { readonly ok: false; readonly error: TokenErrorCode };

export interface StateOptions {
  readonly clock: Clock;
  readonly grantCodeLifetimeMs: number;
  readonly maxAccessTokensPerRefreshToken: number;
  readonly activeDataCenters: readonly DataCenterId[];
}

export class ZohoState {
  readonly clients = new Map<string, SimClient>();
  readonly users = new Map<string, SimUser>();
  private readonly codes = new Map<string, GrantCode>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly codeIssueTimes = new Map<string, number[]>();
  accessTokenLifetimeSec = 3600;

  constructor(private readonly options: StateOptions) {}

  get now(): number {
    return this.options.clock.now();
  }

  addClient(client: SimClient): void {
    this.clients.set(client.clientId, client);
  }

  addUser(user: SimUser): void {
    this.users.set(user.email.toLowerCase(), user);
  }

  findUser(email: string): SimUser | undefined {
    return this.users.get(email.trim().toLowerCase());
  }

  clientEnabledAt(client: SimClient, dc: DataCenterId): boolean {
    return (client.dataCenters ?? this.options.activeDataCenters).includes(dc);
  }

  /**
   * Issues a grant code in the user's home DC, or refuses when the client has had 10 codes in the last 10
   * minutes (docs/zoho.md: "10 grant codes per 10 minutes per client"; Zoho answers `access_denied`).
   */
  issueCode(input: {
    clientId: string;
    user: SimUser;
    scopes: readonly string[];
    redirectUri: string | null;
    offline: boolean;
    forceConsent: boolean;
    pkce?: PkceChallenge | null;
    lifetimeMs?: number;
  }): { ok: true; code: string; dataCenter: DataCenterId; expiresAt: number } | { ok: false } {
    const now = this.now;
    const recent = (this.codeIssueTimes.get(input.clientId) ?? []).filter(
      (t) => now - t < limits.grantCodeWindowMs,
    );
    if (recent.length >= limits.grantCodesPerWindow) {
      this.codeIssueTimes.set(input.clientId, recent);
      return { ok: false };
    }
    recent.push(now);
    this.codeIssueTimes.set(input.clientId, recent);
    const code = newZohoToken();
    const expiresAt = now + (input.lifetimeMs ?? this.options.grantCodeLifetimeMs);
    this.codes.set(code, {
      code,
      clientId: input.clientId,
      userEmail: input.user.email,
      scopes: input.scopes,
      redirectUri: input.redirectUri,
      dataCenter: input.user.dataCenter,
      expiresAt,
      offline: input.offline,
      forceConsent: input.forceConsent,
      pkce: input.pkce ?? null,
      used: false,
    });
    return { ok: true, code, dataCenter: input.user.dataCenter, expiresAt };
  }

  private authenticateClient(dc: DataCenterId, clientId: string, secret: string): SimClient | undefined {
    const client = this.clients.get(clientId);
    if (!client || client.clientSecret !== secret || !this.clientEnabledAt(client, dc)) return undefined;
    return client;
  }

  exchangeCode(
    dc: DataCenterId,
    p: {
      clientId: string;
      clientSecret: string;
      code: string;
      redirectUri: string | undefined;
      codeVerifier?: string | undefined;
    },
  ): TokenOutcome {
    if (!this.authenticateClient(dc, p.clientId, p.clientSecret))
      return { ok: false, error: 'invalid_client' };
    const grant = this.codes.get(p.code);
    // A code is single use, short lived and valid only at the DC that issued it (docs/zoho.md "Grant code").
    if (
      !grant ||
      grant.used ||
      grant.clientId !== p.clientId ||
      grant.dataCenter !== dc ||
      this.now >= grant.expiresAt
    ) {
      return { ok: false, error: 'invalid_code' };
    }
    // RFC 6749 §4.1.3: the redirect_uri must be identical to the one in the authorization request.
    if (grant.redirectUri !== null && grant.redirectUri !== p.redirectUri) {
      return { ok: false, error: 'invalid_redirect_uri' };
    }
    // RFC 7636 §4.6: a code issued with a challenge is redeemed only with its verifier. Zoho documents no
    // error string for this; the code is refused like any other unusable code (and stays single use).
    if (grant.pkce && !verifierMatches(grant.pkce, p.codeVerifier)) {
      grant.used = true;
      return { ok: false, error: 'invalid_code' };
    }
    grant.used = true;
    let refreshToken: string | null = null;
    const hasOne = this.activeRefreshTokens(grant.userEmail, grant.clientId).length > 0;
    if (grant.offline && (grant.forceConsent || !hasOne)) {
      refreshToken = this.createRefreshToken(grant);
    }
    const accessToken = this.createAccessToken({
      refreshToken,
      clientId: grant.clientId,
      userEmail: grant.userEmail,
      scopes: grant.scopes,
      dataCenter: dc,
    });
    return { ok: true, accessToken, refreshToken };
  }

  refresh(
    dc: DataCenterId,
    p: { clientId: string; clientSecret: string; refreshToken: string },
  ): TokenOutcome {
    if (!this.authenticateClient(dc, p.clientId, p.clientSecret))
      return { ok: false, error: 'invalid_client' };
    const rt = this.refreshTokens.get(p.refreshToken);
    // A revoked, evicted, foreign-DC or other-client refresh token is reported as invalid_code (docs/zoho.md).
    if (!rt || rt.revoked || rt.dataCenter !== dc || rt.clientId !== p.clientId) {
      return { ok: false, error: 'invalid_code' };
    }
    const now = this.now;
    rt.refreshTimes = rt.refreshTimes.filter((t) => now - t < limits.refreshWindowMs);
    if (rt.refreshTimes.length >= limits.refreshesPerWindow) return { ok: false, error: 'throttled' };
    rt.refreshTimes.push(now);
    const accessToken = this.createAccessToken({
      refreshToken: rt.token,
      clientId: rt.clientId,
      userEmail: rt.userEmail,
      scopes: rt.scopes,
      dataCenter: dc,
    });
    return { ok: true, accessToken, refreshToken: null };
  }

  /** Revokes a refresh token (and every access token made from it) or a single access token. */
  revoke(dc: DataCenterId, token: string): boolean {
    const rt = this.refreshTokens.get(token);
    if (rt && !rt.revoked && rt.dataCenter === dc) {
      this.revokeRefreshToken(rt);
      return true;
    }
    const at = this.accessTokens.get(token);
    if (at && !at.revoked && at.dataCenter === dc) {
      at.revoked = true;
      return true;
    }
    return false;
  }

  /** Every refresh token Zoho would still honour (fault tests check each is held by someone). */
  activeRefreshTokenValues(): string[] {
    return [...this.refreshTokens.values()].filter((r) => !r.revoked).map((r) => r.token);
  }

  isRefreshTokenActive(token: string): boolean {
    const rt = this.refreshTokens.get(token);
    return !!rt && !rt.revoked;
  }

  /** An access token usable at `dc` right now, or undefined (dead, unknown, expired or another DC). */
  liveAccessToken(dc: DataCenterId, token: string): AccessTokenRecord | undefined {
    const at = this.accessTokens.get(token);
    if (!at || at.revoked || at.dataCenter !== dc || this.now >= at.expiresAt) return undefined;
    return at;
  }

  /**
   * Whether a live access token may be used at `environment`'s API domain: the first use binds its grant
   * (the refresh token, or the access token itself when it has none) to that environment.
   */
  bindEnvironment(at: AccessTokenRecord, environment: ZohoEnvironment): boolean {
    const holder: { environment: ZohoEnvironment | null } =
      (at.refreshToken ? this.refreshTokens.get(at.refreshToken) : undefined) ?? at;
    holder.environment ??= environment;
    return holder.environment === environment;
  }

  /** Active refresh tokens of a user for a client (Zoho keeps at most 20). */
  activeRefreshTokenCount(userEmail: string, clientId: string): number {
    const user = this.findUser(userEmail);
    return user ? this.activeRefreshTokens(user.email, clientId).length : 0;
  }

  isRefreshTokenEvicted(token: string): boolean {
    return this.refreshTokens.get(token)?.evicted ?? false;
  }

  private activeRefreshTokens(userEmail: string, clientId: string): RefreshTokenRecord[] {
    return [...this.refreshTokens.values()].filter(
      (r) => !r.revoked && r.userEmail === userEmail && r.clientId === clientId,
    );
  }

  private createRefreshToken(grant: GrantCode): string {
    const token = newZohoToken();
    this.refreshTokens.set(token, {
      token,
      clientId: grant.clientId,
      userEmail: grant.userEmail,
      scopes: grant.scopes,
      dataCenter: grant.dataCenter,
      revoked: false,
      evicted: false,
      environment: null,
      refreshTimes: [],
    });
    // Zoho's token-limits page: at most 20 active refresh tokens per user and client; the 21st deletes the
    // oldest, silently (the integration that held it learns on its next refresh: invalid_code).
    const active = this.activeRefreshTokens(grant.userEmail, grant.clientId);
    const excess = active.length - limits.refreshTokensPerUserPerClient;
    // Map iteration is insertion order, so the first records are the oldest.
    for (const old of active.slice(0, Math.max(0, excess))) {
      old.evicted = true;
      this.revokeRefreshToken(old);
    }
    return token;
  }

  private revokeRefreshToken(rt: RefreshTokenRecord): void {
    rt.revoked = true;
    for (const at of this.accessTokens.values()) {
      if (at.refreshToken === rt.token) at.revoked = true;
    }
  }

  private createAccessToken(input: {
    refreshToken: string | null;
    clientId: string;
    userEmail: string;
    scopes: readonly string[];
    dataCenter: DataCenterId;
  }): AccessTokenRecord {
    const now = this.now;
    const record: AccessTokenRecord = {
      ...input,
      token: newZohoToken(),
      expiresAt: now + this.accessTokenLifetimeSec * 1000,
      revoked: false,
      environment: null,
    };
    this.accessTokens.set(record.token, record);
    if (input.refreshToken) {
      // docs/zoho.md: at most 10 (or 15) active access tokens per refresh token; the oldest goes first.
      const live = [...this.accessTokens.values()].filter(
        (a) => a.refreshToken === input.refreshToken && !a.revoked && now < a.expiresAt,
      );
      const excess = live.length - this.options.maxAccessTokensPerRefreshToken;
      for (const old of live.slice(0, Math.max(0, excess))) old.revoked = true;
    }
    return record;
  }
}
