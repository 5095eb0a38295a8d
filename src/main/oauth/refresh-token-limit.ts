import { createLogger } from '../log';
import type { OAuthToken } from '../store/oauth-token';
import { emailOfUserName } from '../store/sdk-user-name';
import type { TokenStore } from '../store/token-store';

const log = createLogger('oauth.token-limit');

/**
 * Zoho keeps at most 20 active refresh tokens per user and client; making a 21st deletes the oldest,
 * silently (Zoho's token-limits page: docs/zoho.md "Limits"). Tokens of every environment count: they come
 * from the same accounts server. TokenDesk only knows the tokens it holds, so it warns and marks from those.
 */
export const REFRESH_TOKENS_PER_USER_PER_CLIENT = 20;

export const EVICTED_MESSAGE =
  'Zoho deleted this refresh token: the same user made a 21st refresh token for this client, and Zoho keeps only the newest 20. Re-authorise to use this token again.';

interface Grantee {
  readonly clientId: string;
  readonly dataCenter: string;
}

function personOf(token: OAuthToken): string | null {
  return token.userName === null ? null : emailOfUserName(token.userName).trim().toLowerCase();
}

/** The held tokens with a refresh token for `who`'s client and DC, by person, oldest first. */
function heldByPerson(held: readonly OAuthToken[], who: Grantee): Map<string, OAuthToken[]> {
  const byPerson = new Map<string, OAuthToken[]>();
  for (const t of held) {
    const person = personOf(t);
    if (!person || !t.refreshToken || t.clientId !== who.clientId || t.dataCenter !== who.dataCenter)
      continue;
    byPerson.set(person, [...(byPerson.get(person) ?? []), t]);
  }
  for (const list of byPerson.values()) list.sort(oldestFirst);
  return byPerson;
}

function oldestFirst(a: OAuthToken, b: OAuthToken): number {
  return (a.createdAt ?? 0) - (b.createdAt ?? 0) || Number(a.id ?? 0) - Number(b.id ?? 0);
}

/**
 * A warning to show before a sign-in for `who` (the client and DC it asks for; `userName` when known, as
 * on a re-authorisation), or null. Zoho names the user only after consent, so for a new account every
 * user already at 20 tokens of this client and DC is named.
 */
export function refreshTokenLimitWarning(
  held: readonly OAuthToken[],
  who: Grantee & { readonly userName?: string | null },
): string | null {
  const wanted = who.userName ? emailOfUserName(who.userName).trim().toLowerCase() : null;
  const full = [...heldByPerson(held, who)].filter(
    ([person, list]) =>
      (wanted === null || person === wanted) && list.length >= REFRESH_TOKENS_PER_USER_PER_CLIENT,
  );
  if (full.length === 0) return null;
  const names = full.map(([person]) => person).join(', ');
  const oldest = full.map(([, list]) => `#${list[0]?.id}`).join(', ');
  return `Zoho keeps ${REFRESH_TOKENS_PER_USER_PER_CLIENT} refresh tokens per user and client, and TokenDesk already holds ${REFRESH_TOKENS_PER_USER_PER_CLIENT} for ${names}. Signing in as ${full.length === 1 ? 'that user' : 'one of them'} makes Zoho delete the oldest (token ${oldest}); an integration using it stops working. Cancel now to keep it.`;
}

/**
 * The held tokens Zoho deleted when `signedIn` (just saved) was made: the oldest of the same person,
 * client and DC beyond the newest 20.
 */
export function evictedBy(held: readonly OAuthToken[], signedIn: OAuthToken): OAuthToken[] {
  const person = personOf(signedIn);
  if (!person || !signedIn.clientId || !signedIn.dataCenter) return [];
  const others = (
    heldByPerson(held, { clientId: signedIn.clientId, dataCenter: signedIn.dataCenter }).get(person) ?? []
  ).filter((t) => t.id !== signedIn.id);
  return others.slice(0, Math.max(0, others.length + 1 - REFRESH_TOKENS_PER_USER_PER_CLIENT));
}

/**
 * Says so on each row whose refresh token Zoho deleted for the sign-in that saved `signedInId`: the row's
 * last error, and re-authorisation required. Returns the ids marked.
 */
export async function markEvictedBySignIn(
  store: TokenStore,
  notes: { setReauthRequired(id: string, required: boolean): void },
  signedInId: string,
): Promise<string[]> {
  const signedIn = await store.findTokenById(signedInId);
  if (!signedIn) return [];
  const evicted = evictedBy(await store.getTokens(), signedIn);
  for (const token of evicted) {
    await store.saveToken({ ...token, lastError: EVICTED_MESSAGE });
    notes.setReauthRequired(token.id ?? '', true);
  }
  if (evicted.length > 0) {
    log.info('Marked tokens Zoho deleted for a 21st refresh token', { ids: evicted.map((t) => t.id) });
  }
  return evicted.map((t) => t.id ?? '');
}
