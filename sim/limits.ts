/** Zoho's documented limits (ZOHO.md "Limits"). */
export const limits = {
  refreshesPerWindow: 10,
  refreshWindowMs: 10 * 60_000,
  refreshTokensPerUserPerClient: 20,
  grantCodesPerWindow: 10,
  grantCodeWindowMs: 10 * 60_000,
} as const;

/** The throttle answer, verbatim from ZOHO.md "Errors to explain". */
export const THROTTLE_BODY = {
  error: 'Access Denied',
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  status: 'failure',
} as const;
