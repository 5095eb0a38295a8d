import { randomBytes } from 'node:crypto';
import { emptyToken, type OAuthToken } from '../../src/main/store/oauth-token';
import type { SqliteTokenStore } from '../../src/main/store/sqlite-token-store';

export interface SeedOptions {
  /** Client id on every seeded token (default: a made-up one; these tokens are not known to Zoho). */
  readonly clientId?: string;
  /** `apiDomain` on every token. */
  readonly apiDomain?: string;
  /** User names are `${userPrefix}${n}@seed.example.com`, n from 1 (zero-padded to 5 digits). */
  readonly userPrefix?: string;
}

export function seededUserName(n: number, prefix = 'user'): string {
  return `${prefix}${String(n).padStart(5, '0')}@seed.example.com`;
}

function fakeZohoToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

/**
 * Writes `count` tokens through the store's own `saveToken` (so rows are encrypted exactly as the app
 * writes them), all inside one SQLite transaction: each save is a nested savepoint, so the run pays for
 * one commit instead of `count` fsyncs. `saveToken` does its work synchronously before its first await,
 * which is what lets it run inside better-sqlite3's synchronous transaction function.
 */
export async function seedTokens(store: SqliteTokenStore, count: number, options: SeedOptions = {}) {
  const now = Date.now();
  const pending: Promise<void>[] = [];
  const tokens: OAuthToken[] = [];
  store.database.transaction(() => {
    for (let n = 1; n <= count; n++) {
      const token = emptyToken({
        userName: seededUserName(n, options.userPrefix),
        clientId: options.clientId ?? '1000.SEEDEDCLIENT000000000000000001',
        clientSecret: randomBytes(21).toString('hex'),
        refreshToken: fakeZohoToken(),
        accessToken: fakeZohoToken(),
        // Spread over the next hour, so statuses and countdowns differ.
        expiryTime: String(now + 60_000 + ((n * 7919) % 3_540_000)),
        apiDomain: options.apiDomain ?? 'https://www.zohoapis.com',
        dataCenter: n % 5 === 0 ? 'EU' : 'US',
        environment: 'production',
        scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      });
      tokens.push(token);
      pending.push(store.saveToken(token));
    }
  })();
  await Promise.all(pending);
  return tokens;
}
