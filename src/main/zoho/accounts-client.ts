import type { ZohoEnvironment } from '../../shared/datacenters';
import { createLogger } from '../log';
import { apiDomainForEnvironment, type ZohoEndpoints } from './endpoints';
import { ZohoError, type ZohoOperation, zohoError } from './errors';
import { type HttpOptions, httpExchange } from './http';
import { expiresInMs, TokenSuccessSchema, tokenAnswerError } from './token-response';

const log = createLogger('zoho.accounts');

/** What a successful code exchange or refresh yields, ready to store. */
export interface TokenGrant {
  readonly accessToken: string;
  /** The new refresh token when Zoho sent one; on refresh without one, the refresh token used. */
  readonly refreshToken: string | null;
  /** True when Zoho sent a refresh token in this answer (it replaces the stored one). */
  readonly refreshTokenIsNew: boolean;
  /**
   * Where the token is used: the API domain of its environment in the data center the answer named (the
   * answer's `api_domain` is always the production one: see `apiDomainForEnvironment`).
   */
  readonly apiDomain: string;
  readonly tokenType: string;
  readonly expiresInMs: number;
  /** Absolute epoch ms as a decimal string, exactly as the SDK stores `expiry_time`. */
  readonly expiryTime: string;
}

export interface ExchangeCodeInput {
  /** From the callback's `accounts-server` (or the Self Client's DC); must be trusted. */
  readonly accountsServer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly code: string;
  /** The redirect URI of the authorization request; omit for Self Client codes. */
  readonly redirectUri?: string;
  /** PKCE (RFC 7636 §4.5): the verifier of the challenge sent with the authorization request. */
  readonly codeVerifier?: string;
  /** The environment the token is for: decides the API domain it is used at (default production). */
  readonly environment?: ZohoEnvironment;
  /** Ends the request early (CANCELLED), e.g. when the user cancels the sign-in. */
  readonly signal?: AbortSignal;
}

export interface RefreshInput {
  readonly accountsServer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** The environment the token is for: decides the API domain it is used at (default production). */
  readonly environment?: ZohoEnvironment;
  readonly signal?: AbortSignal;
}

export interface RevokeInput {
  readonly accountsServer: string;
  /** A refresh token (revoking it also kills its access tokens). */
  readonly token: string;
}

export interface AccountsClient {
  exchangeCode(input: ExchangeCodeInput): Promise<TokenGrant>;
  refresh(input: RefreshInput): Promise<TokenGrant>;
  revoke(input: RevokeInput): Promise<void>;
}

export interface AccountsClientOptions extends HttpOptions {
  readonly endpoints: ZohoEndpoints;
  /** Clock for `expiryTime` (default Date.now). */
  readonly now?: () => number;
}

export function createAccountsClient(options: AccountsClientOptions): AccountsClient {
  const { endpoints } = options;
  const now = options.now ?? Date.now;

  /** Refuses before any secret leaves the process (ZohoEndpoints: the callback's server is untrusted input). */
  function trustedUrl(accountsServer: string, path: string, operation: ZohoOperation): URL {
    if (!endpoints.isTrustedAccountsServer(accountsServer)) {
      log.warn('refused an untrusted accounts server', { operation, errorCode: 'UNTRUSTED_SERVER' });
      throw zohoError('UNTRUSTED_SERVER', { operation });
    }
    return new URL(path, accountsServer);
  }

  async function tokenCall(
    accountsServer: string,
    form: URLSearchParams,
    operation: 'exchange' | 'refresh',
    environment: ZohoEnvironment,
    previousRefreshToken: string | null,
    signal: AbortSignal | undefined,
  ): Promise<TokenGrant> {
    const url = trustedUrl(accountsServer, '/oauth/v2/token', operation);
    const server = url.origin;
    // The token endpoint takes a form body (docs/zoho.md "Token"); secrets never go in the URL.
    const answer = await httpExchange(url, { method: 'POST', body: form }, operation, options, signal).catch(
      (e: unknown) => {
        if (e instanceof ZohoError) log.warn(`${operation} failed`, { server, errorCode: e.code });
        throw e;
      },
    );
    const failure = tokenAnswerError(answer, operation);
    if (failure) {
      log.warn(`${operation} failed`, { server, errorCode: failure.code, status: answer.status });
      throw failure;
    }
    const parsed = TokenSuccessSchema.safeParse(answer.json);
    if (!parsed.success) {
      log.warn(`${operation}: unexpected answer`, { server, status: answer.status });
      throw zohoError('UNEXPECTED_RESPONSE', {
        operation,
        httpStatus: answer.status,
        latencyMs: answer.latencyMs,
      });
    }
    const body = parsed.data;
    const dc = endpoints.dataCenterOfAccountsServer(server);
    // The answer names the DC (its production API domain); when absent, the accounts server's DC is it.
    const answered = body.api_domain ?? (dc ? endpoints.resolve(dc, 'production')?.apiDomain : undefined);
    const apiDomain = answered ? apiDomainForEnvironment(endpoints, answered, environment) : undefined;
    if (!apiDomain || !endpoints.isTrustedApiDomain(apiDomain)) {
      log.warn(`${operation}: untrusted api_domain in answer`, { server });
      throw zohoError('UNTRUSTED_SERVER', { operation, latencyMs: answer.latencyMs });
    }
    const ms = expiresInMs(body);
    log.info(`${operation} ok`, {
      server,
      latencyMs: answer.latencyMs,
      newRefreshToken: body.refresh_token !== undefined,
    });
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? previousRefreshToken,
      refreshTokenIsNew: body.refresh_token !== undefined,
      apiDomain,
      tokenType: body.token_type ?? 'Bearer',
      expiresInMs: ms,
      expiryTime: String(now() + ms),
    };
  }

  return {
    exchangeCode(input) {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: input.clientId,
        client_secret: input.clientSecret,
        code: input.code,
      });
      if (input.redirectUri !== undefined) form.set('redirect_uri', input.redirectUri);
      if (input.codeVerifier !== undefined) form.set('code_verifier', input.codeVerifier);
      return tokenCall(
        input.accountsServer,
        form,
        'exchange',
        input.environment ?? 'production',
        null,
        input.signal,
      );
    },

    refresh(input) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: input.clientId,
        client_secret: input.clientSecret,
        refresh_token: input.refreshToken,
      });
      return tokenCall(
        input.accountsServer,
        form,
        'refresh',
        input.environment ?? 'production',
        input.refreshToken,
        input.signal,
      );
    },

    async revoke(input) {
      // docs/zoho.md "Revoke": the token goes in the query string. This URL is never logged or put in an error.
      const url = trustedUrl(input.accountsServer, '/oauth/v2/token/revoke', 'revoke');
      url.searchParams.set('token', input.token);
      const server = url.origin;
      const answer = await httpExchange(url, { method: 'POST' }, 'revoke', options).catch((e: unknown) => {
        if (e instanceof ZohoError) log.warn('revoke failed', { server, errorCode: e.code });
        throw e;
      });
      const details = {
        operation: 'revoke' as const,
        httpStatus: answer.status,
        latencyMs: answer.latencyMs,
      };
      let failure: ZohoError | undefined;
      if (answer.status >= 500) failure = zohoError('SERVER_ERROR', details);
      else if (answer.status === 400) failure = zohoError('INVALID_TOKEN', details);
      else if (answer.status === 429) failure = zohoError('THROTTLED', details);
      else if (!isSuccess(answer.json))
        failure = tokenAnswerError(answer, 'revoke') ?? zohoError('UNEXPECTED_RESPONSE', details);
      if (failure) {
        log.warn('revoke failed', { server, errorCode: failure.code, status: answer.status });
        throw failure;
      }
      log.info('revoke ok', { server, latencyMs: answer.latencyMs });
    },
  };
}

function isSuccess(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'status' in json && json.status === 'success';
}
