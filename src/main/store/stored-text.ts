import type { OAuthToken } from './oauth-token';

/**
 * Text exactly as SQLite will give it back, decided before anything is bound, sealed or compared.
 *
 * SQLite keeps TEXT as UTF-8, and a JS string may hold a lone UTF-16 surrogate (Zoho returns whatever a
 * CRM user typed), which has no UTF-8 form: the driver writes U+FFFD instead. A row's envelope binds its
 * columns through JSON.stringify, which keeps a lone surrogate as the escape `\ud800`, so the AAD sealed
 * at save time and the one rebuilt from the stored column differ and the row no longer opens. Making the
 * string well formed first (lone surrogates become U+FFFD, as the driver would do) means the value that is
 * sealed, indexed, compared and stored is one and the same.
 *
 * NFC: the same email typed with a precomposed "é" or with "e" plus a combining accent is the same user to
 * a person; composing it once means lookups by user name find it either way.
 */
export function storedText(value: string): string {
  // NFC of a well-formed string stays well formed. ASCII (nearly every value) has a fast path in both.
  return value.toWellFormed().normalize('NFC');
}

/**
 * A secret is sent to Zoho byte for byte, so it is only made well formed (which its UTF-8 encoding does
 * anyway), never recomposed: NFC could change a value Zoho compares exactly.
 */
export function storedSecret(value: string): string {
  return value.toWellFormed();
}

function text(value: string | null): string | null {
  return value === null ? null : storedText(value);
}

function secret(value: string | null): string | null {
  return value === null ? null : storedSecret(value);
}

/**
 * A copy of `token` whose every string is as the store will keep it (`storedText`, `storedSecret`): what
 * a store saves, and what it looks a token up by, so a lookup compares like with like. The enum fields
 * (data center, environment) go through too: an invalid one is then rejected by its exact stored value.
 */
export function storedToken(token: OAuthToken): OAuthToken {
  return {
    ...token,
    userName: text(token.userName),
    clientId: text(token.clientId),
    clientSecret: secret(token.clientSecret),
    refreshToken: secret(token.refreshToken),
    accessToken: secret(token.accessToken),
    grantToken: secret(token.grantToken),
    expiryTime: text(token.expiryTime),
    redirectUrl: text(token.redirectUrl),
    apiDomain: text(token.apiDomain),
    dataCenter: text(token.dataCenter) as OAuthToken['dataCenter'],
    environment: text(token.environment) as OAuthToken['environment'],
    scopes: token.scopes === null ? null : token.scopes.map(storedText),
    lastError: text(token.lastError),
  };
}
