/** Sign-in flows (plain Node): system browser with a loopback redirect, Self Client, refresh-token import. */
export type { BrowserOpener } from './browser-opener';
export {
  authorizeUrl,
  type BrowserSignInOptions,
  DEFAULT_REDIRECT_PATH,
  DEFAULT_REDIRECT_PORT,
  DEFAULT_SIGN_IN_TIMEOUT_MS,
  runBrowserSignIn,
} from './browser-sign-in';
export { SignInError, type SignInErrorCode, safeErrorParts } from './errors';
export type {
  ClientCredentials,
  FlowTarget,
  GrantedToken,
  ProgressListener,
  SignInProgressUpdate,
  SignInStage,
} from './granted-token';
export { LOOPBACK_HOST } from './loopback-server';
export {
  EVICTED_MESSAGE,
  evictedBy,
  markEvictedBySignIn,
  REFRESH_TOKENS_PER_USER_PER_CLIENT,
  refreshTokenLimitWarning,
} from './refresh-token-limit';
export {
  exchangeSelfClientCode,
  type ImportRefreshTokenOptions,
  importRefreshToken,
  type SelfClientOptions,
} from './self-client';
