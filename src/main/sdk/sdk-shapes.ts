/**
 * The parts of the official Zoho CRM TypeScript SDK 8.0 that the adapter touches, written as structural
 * types. The SDK is a devDependency, so app code must never load it at runtime: these shapes let the
 * adapter work with the SDK's instances (and a test can check they line up with the real `.d.ts`).
 */

/** The SDK's `UserSignature`: carries the user's email as `name`. */
export interface SdkUserSignatureLike {
  getName(): string;
}

/**
 * The getters and setters of the SDK's `OAuthToken` that a TokenStore uses (the official stores call the
 * same ones). `getExpiresIn` is the absolute expiry in epoch ms as a decimal string, despite its name.
 */
export interface SdkOAuthTokenLike<U extends SdkUserSignatureLike = SdkUserSignatureLike> {
  getId(): string | null;
  setId(id: string | null): void;
  getUserSignature(): U | null;
  setUserSignature(userSignature: U | null): void;
  getClientId(): string | null;
  setClientId(clientId: string): void;
  getClientSecret(): string | null;
  setClientSecret(clientSecret: string): void;
  getRefreshToken(): string | null;
  setRefreshToken(refreshToken: string | null): void;
  getAccessToken(): string | null;
  setAccessToken(accessToken: string | null): void;
  getGrantToken(): string | null;
  setGrantToken(grantToken: string | null): void;
  getExpiresIn(): string;
  setExpiresIn(expiresIn: string): void;
  getRedirectURL(): string | null;
  setRedirectURL(redirectURL: string | null): void;
  getAPIDomain(): string | null;
  setAPIDomain(apiDomain: string | null): void;
}

/** The SDK's `Token` interface (what its TokenStore methods are declared over). */
export interface SdkTokenLike {
  getId(): string | null;
}

/**
 * The SDK classes the adapter needs to create tokens for `findTokenById` and `getTokens`. The caller, who
 * has the SDK loaded, passes them in: `{ OAuthToken, UserSignature }` from `@zohocrm/typescript-sdk-8.0`.
 */
export interface SdkClasses<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>> {
  readonly OAuthToken: new (
    clientID: string | null,
    clientSecret: string | null,
    grantToken: string | null,
    refreshToken: string | null,
    redirectURL: string | null,
    id: string | null,
    accessToken: string | null,
    userSignature: U | null,
  ) => T;
  readonly UserSignature: new (name: string) => U;
  /**
   * The SDK's `SDKException`, so an unknown id fails with the exception the SDK's own stores throw. Without
   * it the adapter throws its own error with the same code and message. (The SDK declares its `cause`
   * private, so its class is not assignable to Error's constructor: any object type is accepted.)
   */
  readonly SDKException?: new (
    code: string | null,
    message: string | null,
  ) => object;
}
