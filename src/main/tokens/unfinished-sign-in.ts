import type { ZohoEnvironment } from '../../shared/datacenters';
import { errorCodeOf } from '../errors';
import { emptyToken } from '../store/oauth-token';
import type { ZohoPort } from '../zoho';
import { zohoFailureWords } from './errors';
import type { TokenService } from './token-service';

/**
 * The sign-in port, with one change: when a flow that did not finish (cancelled, or the user lookup
 * failed after Zoho issued a token) cannot revoke the token it was issued, that token goes to the
 * service's pending revokes instead of being only logged. It is live at Zoho and nobody else holds it.
 */
export function keepingUnrevokedTokens(
  port: ZohoPort,
  service: TokenService,
  target: { readonly clientId: string; readonly clientSecret: string; readonly environment: ZohoEnvironment },
): ZohoPort {
  return {
    ...port,
    async revoke(input) {
      try {
        await port.revoke(input);
      } catch (error) {
        const dataCenter = port.trustedAccountsServer(input.accountsServer);
        if (dataCenter) {
          const code = errorCodeOf(error) ?? 'REVOKE_FAILED';
          service.keepUnrevoked(
            emptyToken({
              clientId: target.clientId,
              clientSecret: target.clientSecret,
              refreshToken: input.refreshToken,
              dataCenter,
              environment: target.environment,
              apiDomain: port.apiDomain(dataCenter, target.environment),
            }),
            'issued to a sign-in that did not finish',
            {
              state: 'failed',
              code,
              message: zohoFailureWords(error, 'revoke', 'Zoho did not confirm the revoke.'),
            },
          );
        }
        throw error;
      }
    },
  };
}
