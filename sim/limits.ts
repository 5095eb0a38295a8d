/** Zoho's documented limits (docs/zoho.md "Limits"). */
export const limits = {
  refreshesPerWindow: 10,
  refreshWindowMs: 10 * 60_000,
  /** Per user and client: the 21st deletes the oldest (Zoho's token-limits page). */
  refreshTokensPerUserPerClient: 20,
  grantCodesPerWindow: 10,
  grantCodeWindowMs: 10 * 60_000,
} as const;

/**
 * The throttle answer as Zoho's token-limits page documents it today (HTTP 200). The simulator sends this
 * one, so the app must recognise it.
 */
export const THROTTLE_BODY = {
  error_description:
    'Token creation throttle limit reached. Please reuse the valid tokens you currently have.',
  error: 'Access Denied',
} as const;

/** The older wording (CRM API "token validity" pages), still seen from some servers. */
export const LEGACY_THROTTLE_BODY = {
  error: 'Access Denied',
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  status: 'failure',
} as const;
