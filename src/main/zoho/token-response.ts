import { z } from 'zod';
import { type ZohoError, type ZohoOperation, zohoError } from './errors';
import type { HttpAnswer } from './http';

/** A successful token endpoint answer (docs/zoho.md "Token"). Numbers may arrive as strings from older servers. */
export const TokenSuccessSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().finite().nonnegative(),
  expires_in_sec: z.coerce.number().finite().optional(),
});
export type TokenSuccess = z.infer<typeof TokenSuccessSchema>;

const ErrorBodySchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/**
 * The throttle answer's description. Zoho's token-limits page documents "Token creation throttle limit
 * reached..."; older servers (and the CRM "token validity" pages) say "You have made too many requests
 * continuously..." (docs/zoho.md "Throttle"). Both are a throttle: back off, never "declined".
 */
const THROTTLE_TEXT = /throttle limit|too many requests|maximum request limit/i;

/**
 * Token endpoint errors come back as HTTP 200 with `{"error": ...}` (docs/zoho.md), so the body decides; a 5xx
 * is a server error whatever it says, and 429 is a throttle.
 */
export function tokenAnswerError(answer: HttpAnswer, operation: ZohoOperation): ZohoError | undefined {
  const base = { operation, latencyMs: answer.latencyMs };
  if (answer.status >= 500) return zohoError('SERVER_ERROR', { ...base, httpStatus: answer.status });
  const error = ErrorBodySchema.safeParse(answer.json);
  if (error.success) {
    const zohoCode = error.data.error;
    const details = { ...base, zohoCode, httpStatus: answer.status };
    switch (zohoCode) {
      case 'invalid_code':
        return zohoError('INVALID_CODE', details);
      case 'invalid_client':
      case 'invalid_client_secret':
        return zohoError('INVALID_CLIENT', details);
      case 'invalid_redirect_uri':
        return zohoError('INVALID_REDIRECT_URI', details);
      case 'access_denied':
        return zohoError('ACCESS_DENIED', details);
      case 'Access Denied':
        return zohoError(
          THROTTLE_TEXT.test(error.data.error_description ?? '') ? 'THROTTLED' : 'ACCESS_DENIED',
          details,
        );
      default:
        return zohoError('UNEXPECTED_RESPONSE', details);
    }
  }
  if (answer.status === 429) return zohoError('THROTTLED', { ...base, httpStatus: answer.status });
  if (answer.status !== 200) return zohoError('UNEXPECTED_RESPONSE', { ...base, httpStatus: answer.status });
  return undefined;
}

/**
 * Milliseconds until expiry, as the official SDKs compute it: `expires_in` is seconds, unless the answer
 * also carries `expires_in_sec`, in which case `expires_in` is already milliseconds (docs/zoho.md "Token fields").
 */
export function expiresInMs(body: Pick<TokenSuccess, 'expires_in' | 'expires_in_sec'>): number {
  return body.expires_in_sec !== undefined ? body.expires_in : body.expires_in * 1000;
}
