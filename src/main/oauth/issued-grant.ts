import { createLogger } from '../log';
import type { ZohoGrant, ZohoPort } from '../zoho';

const log = createLogger('oauth.issued-grant');

/**
 * The token a flow's code exchange issues, until the flow hands it over. A flow that ends without
 * returning it (cancelled, user lookup failed) revokes it at Zoho: nobody would ever use or revoke that
 * refresh token, and it counts toward Zoho's 20 per user (the 21st silently revokes the oldest). A
 * cancel can beat the exchange's answer, so a token that arrives after the flow was abandoned is
 * revoked on arrival.
 */
export class IssuedGrant {
  private grant: ZohoGrant | undefined;
  private abandoned = false;

  constructor(
    private readonly zoho: ZohoPort,
    private readonly accountsServer: string,
  ) {}

  /** Wraps the exchange so its token is known here whenever it arrives. */
  track(exchange: Promise<ZohoGrant>): Promise<ZohoGrant> {
    return exchange.then((grant) => {
      this.grant = grant;
      if (this.abandoned) this.revoke();
      return grant;
    });
  }

  /** The flow returned the token: the caller keeps (and saves) it. */
  handedOver(): void {
    this.grant = undefined;
  }

  /** The flow failed: revoke the token issued so far, or the one still to come. */
  abandon(): void {
    this.abandoned = true;
    this.revoke();
  }

  private revoke(): void {
    const refreshToken = this.grant?.refreshToken;
    this.grant = undefined;
    if (!refreshToken) return;
    this.zoho.revoke({ accountsServer: this.accountsServer, refreshToken }).then(
      () => log.info('Revoked the token of a sign-in that did not finish'),
      (err: unknown) =>
        log.warn('Could not revoke the token of a sign-in that did not finish', {
          errorCode: err instanceof Error && 'code' in err ? String(err.code) : 'unknown',
        }),
    );
  }
}
