import { timingSafeEqual } from 'node:crypto';
import { calculatePKCECodeChallenge, generateRandomCodeVerifier, generateRandomState } from 'oauth4webapi';
import { type DataCenterId, dataCenterByLocation } from '../../shared/datacenters';
import { createLogger } from '../log';
import type { OAuthToken } from '../store/oauth-token';
import type { ZohoPort } from '../zoho';
import { unlessAborted } from './abort';
import type { BrowserOpener } from './browser-opener';
import { cancelledError, SignInError, safeErrorParts } from './errors';
import {
  checkCredentials,
  completeGrant,
  type FlowTarget,
  type GrantedToken,
  type ProgressListener,
  type SignInStage,
} from './granted-token';
import { IssuedGrant } from './issued-grant';
import { type LoopbackCallback, type LoopbackServer, startLoopbackServer } from './loopback-server';
import { refreshTokenLimitWarning } from './refresh-token-limit';

const log = createLogger('oauth.browser');

/** The loopback redirect TokenDesk suggests registering: `http://127.0.0.1:53682/callback`. */
export const DEFAULT_REDIRECT_PORT = 53682;
export const DEFAULT_REDIRECT_PATH = '/callback';
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface BrowserSignInOptions extends FlowTarget {
  readonly zoho: ZohoPort;
  readonly opener: BrowserOpener;
  /** Zoho scope names, e.g. `ZohoCRM.users.READ`; sent comma separated, as Zoho documents. */
  readonly scopes: readonly string[];
  /** Loopback port; 0 picks a free one (tests). Default 53682. */
  readonly port?: number;
  /** Listen on a free port when `port` is taken (demo simulator only: see LoopbackServerOptions). */
  readonly anyPortIfBusy?: boolean;
  /** Loopback path. Default `/callback`. */
  readonly path?: string;
  /** How long to wait for the browser. Default 5 minutes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /**
   * The tokens TokenDesk holds, to warn before the consent page when this sign-in would make a user's 21st
   * refresh token for the client (Zoho then deletes that user's oldest: refresh-token-limit.ts).
   */
  readonly heldTokens?: () => Promise<readonly OAuthToken[]>;
}

/**
 * Signs a user in through the system browser (RFC 8252): a loopback server on 127.0.0.1 receives Zoho's
 * redirect, the `state` ties it to this flow, and the grant code is exchanged at the accounts server the
 * callback names, but only if that server is a trusted Zoho accounts server (the client secret goes
 * nowhere else). Resolves with the token to save; rejects with a SignInError (or the Zoho client's
 * error for a failed exchange).
 *
 * A redirect with a missing or wrong `state` is answered with a "not valid" page and otherwise ignored:
 * the flow keeps waiting for the real one until it times out. Any local program can send requests to the
 * loopback port, so such a request must not be able to end (or steer) the user's sign-in.
 */
export async function runBrowserSignIn(options: BrowserSignInOptions): Promise<GrantedToken> {
  const progress = progressReporter(options.onProgress);
  let server: LoopbackServer | undefined;
  let callback: LoopbackCallback | undefined;
  let issued: IssuedGrant | undefined;
  try {
    progress('starting');
    checkCredentials(options);
    if (options.scopes.length === 0) {
      throw new SignInError('INVALID_INPUT', 'Choose at least one scope.', {
        hint: 'ZohoCRM.users.READ is needed.',
      });
    }
    // RFC 8252 §8.1 and Zoho's guide for desktop apps: PKCE with S256, a new verifier per sign-in. The
    // verifier stays in this process; only its hash goes through the browser.
    const state = generateRandomState();
    const codeVerifier = generateRandomCodeVerifier();
    const codeChallenge = await calculatePKCECodeChallenge(codeVerifier);
    server = await startLoopbackServer({
      port: options.port ?? DEFAULT_REDIRECT_PORT,
      path: options.path ?? DEFAULT_REDIRECT_PATH,
      anyPortIfBusy: options.anyPortIfBusy ?? false,
      validate: (params) => checkState(params.get('state'), state),
      onRejected: (reason) => progress('waiting-for-browser', { message: `Ignored a redirect: ${reason}` }),
    });
    const authUrl = authorizeUrl(options, server.redirectUri, state, codeChallenge);
    const limitWarning = options.heldTokens
      ? refreshTokenLimitWarning(await options.heldTokens(), options)
      : null;
    progress('waiting-for-browser', { authUrl, ...(limitWarning ? { message: limitWarning } : {}) });
    options.opener.open(authUrl).catch((err: unknown) => {
      log.warn('Could not open the system browser', {
        error: err instanceof Error ? err.message : 'unknown',
      });
      progress('waiting-for-browser', {
        message: 'TokenDesk could not open your browser. Open the sign-in link yourself.',
      });
    });

    // Cancelled by the user or out of time, whichever comes first; the user's cancel wins a tie.
    const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(timeoutMs);
    callback = await unlessAborted(
      server.callback,
      options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
      () => (options.signal?.aborted ? cancelledError() : callbackTimeoutError(timeoutMs)),
    );
    const dataCenter = callbackDataCenter(options, callback.params);
    const code = callback.params.get('code');
    if (!code) {
      throw new SignInError('AUTHORIZATION_FAILED', 'Zoho redirected back without a grant code.', {
        hint: 'Start the sign-in again.',
      });
    }

    progress('exchanging-code');
    const accountsServer = options.zoho.accountsServer(dataCenter, options.environment);
    issued = new IssuedGrant(options.zoho, accountsServer);
    const grant = await unlessAborted(
      issued.track(
        options.zoho.exchangeCode({
          accountsServer,
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          code,
          redirectUri: server.redirectUri,
          codeVerifier,
          environment: options.environment,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      ),
      options.signal,
    );
    if (!grant.refreshToken) {
      throw new SignInError(
        'NO_REFRESH_TOKEN',
        'Zoho issued an access token but no refresh token, so the token would stop working within an hour.',
        {
          hint: 'Sign in again; if it keeps happening, check that the Zoho client is a server-based client.',
        },
      );
    }

    progress('fetching-user');
    const granted = await unlessAborted(
      completeGrant(options.zoho, {
        target: { ...options, dataCenter },
        grant,
        refreshToken: grant.refreshToken,
        redirectUrl: server.redirectUri,
        scopes: options.scopes,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
      options.signal,
    );
    issued.handedOver();
    await callback.respond('success');
    log.info('Browser sign-in complete', { dataCenter, environment: options.environment });
    return granted;
  } catch (err) {
    issued?.abandon();
    const cancelled = err instanceof SignInError && err.code === 'CANCELLED';
    const parts = safeErrorParts(err);
    await callback?.respond(
      'failure',
      cancelled ? 'The sign-in was cancelled in TokenDesk.' : plainMessage(err),
      parts?.hint,
    );
    // No `failed`/`cancelled` progress here: the caller owns the final event (SignInProgressUpdate).
    log.warn('Browser sign-in ended without a token', { errorCode: parts?.code ?? 'INTERNAL' });
    throw err;
  } finally {
    await server?.close();
  }
}

/**
 * RFC 6749 §4.1.1 with Zoho's extras (docs/zoho.md "Authorize"): offline access, consent every time, and
 * the PKCE S256 challenge (RFC 7636 §4.3).
 */
export function authorizeUrl(
  target: FlowTarget & { readonly zoho: ZohoPort; readonly scopes: readonly string[] },
  redirectUri: string,
  state: string,
  codeChallenge: string,
): string {
  const url = new URL('/oauth/v2/auth', target.zoho.accountsServer(target.dataCenter, target.environment));
  url.search = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: target.scopes.join(','),
    access_type: 'offline',
    prompt: 'consent',
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

function checkState(received: string | null, expected: string) {
  if (received === null || received === '') {
    return { ok: false, reason: 'The redirect carried no sign-in state, so it cannot be trusted.' } as const;
  }
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  // Constant time, so the state cannot be guessed byte by byte from response timing.
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { ok: false, reason: 'The redirect does not belong to the sign-in TokenDesk started.' } as const;
  }
  return { ok: true } as const;
}

/**
 * Zoho multi-DC: the user may belong to another data center than the one asked for, and the callback says
 * which (`location`, `accounts-server`: docs/zoho.md "Callback"). Errors on the callback are reported here too.
 */
function callbackDataCenter(options: BrowserSignInOptions, params: URLSearchParams): DataCenterId {
  const error = params.get('error');
  if (error) {
    if (error === 'access_denied') {
      throw new SignInError(
        'ACCESS_DENIED',
        'Access was declined on the Zoho consent page, or Zoho refused to issue more grant codes for now.',
        {
          hint: 'Sign in again and choose Accept. If you did accept, wait 10 minutes (Zoho allows 10 grant codes per 10 minutes per client).',
        },
      );
    }
    const safe = error.replace(/[^A-Za-z0-9_ .-]/g, '').slice(0, 60);
    throw new SignInError('AUTHORIZATION_FAILED', `Zoho did not authorise the sign-in (${safe}).`, {
      hint: 'Check the client ID, the scopes and that the redirect URI is registered exactly on the Zoho client.',
    });
  }
  // Both come from the browser's address bar: untrusted. The client secret goes only to an accounts server
  // in TokenDesk's own table of Zoho's data centers (src/shared/datacenters.ts, the hosts Zoho's
  // /oauth/serverinfo lists), and the two must name the same data center.
  const server = params.get('accounts-server');
  const location = params.get('location');
  const fromLocation = location ? dataCenterByLocation(location)?.id : undefined;
  if (location && !fromLocation) {
    throw new SignInError(
      'UNKNOWN_DATA_CENTER',
      'The sign-in redirect named a Zoho data center TokenDesk does not know.',
      { hint: 'Start the sign-in again with the data center your Zoho account is in.' },
    );
  }
  if (server) {
    const trusted = options.zoho.trustedAccountsServer(server);
    if (!trusted || (fromLocation !== undefined && fromLocation !== trusted)) {
      log.warn('Refused a callback naming an untrusted accounts server', {
        reason: trusted ? 'location and accounts-server disagree' : 'unknown accounts server',
      });
      throw new SignInError(
        'UNTRUSTED_ACCOUNTS_SERVER',
        'The sign-in redirect named an accounts server that is not a Zoho accounts server, so TokenDesk did not send your client secret there.',
        {
          hint: 'Start the sign-in again. If this repeats, something on this computer may be interfering with the sign-in.',
        },
      );
    }
    return trusted;
  }
  if (fromLocation) return fromLocation;
  return options.dataCenter;
}

function callbackTimeoutError(timeoutMs: number): SignInError {
  const minutes = Math.round(timeoutMs / 60_000);
  return new SignInError(
    'TIMEOUT',
    minutes >= 1
      ? `No answer came from the browser within ${minutes} minute${minutes === 1 ? '' : 's'}.`
      : 'No answer came from the browser in time.',
    { hint: 'Start the sign-in again and finish the Zoho consent page in the browser.' },
  );
}

function progressReporter(listener: ProgressListener | undefined) {
  let authUrl: string | null = null;
  return (stage: SignInStage, extra: { authUrl?: string; message?: string } = {}) => {
    if (extra.authUrl) authUrl = extra.authUrl;
    try {
      listener?.({ stage, authUrl, message: extra.message ?? null });
    } catch (err) {
      log.warn('A sign-in progress listener failed', {
        error: err instanceof Error ? err.message : 'unknown',
      });
    }
  };
}

function plainMessage(err: unknown): string {
  return safeErrorParts(err)?.message ?? 'Something went wrong during sign-in.';
}
