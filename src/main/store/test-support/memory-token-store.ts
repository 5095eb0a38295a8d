import type { OAuthToken } from '../oauth-token';
import { storedToken } from '../stored-text';
import {
  copyToken,
  fillFound,
  isWellFormedId,
  type LookupStep,
  matchSteps,
  planSave,
  runSteps,
  stepMatches,
} from '../token-matching';
import type { ListableTokenStore, TokenEntry } from '../token-store';

/**
 * The reference TokenStore: the same rules as the SQLite store (token-matching.ts) over a Map, for tests
 * and demo mode. Nothing is encrypted and nothing survives the process.
 */
export class MemoryTokenStore implements ListableTokenStore {
  // Map iteration order is insertion order, and ids only grow, so iteration is in id order.
  private readonly rows = new Map<string, OAuthToken>();
  private lastId = 0;

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    // Text as the SQLite store keeps it (stored-text.ts), so both stores answer alike.
    const wanted = storedToken(token);
    const found = runSteps(matchSteps(wanted), (step) => this.lookup(step));
    return found ? fillFound(found, wanted) : null;
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    const found = isWellFormedId(id) ? this.rows.get(id) : undefined;
    return found ? copyToken(found) : null;
  }

  async saveToken(token: OAuthToken): Promise<void> {
    const plan = planSave(storedToken(token), (step) => this.lookup(step), Date.now());
    const row = copyToken(plan.token);
    if (plan.kind === 'insert') {
      this.lastId += 1;
      row.id = String(this.lastId);
    }
    this.rows.set(row.id!, row);
    token.id = row.id;
  }

  async deleteToken(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async getTokens(): Promise<OAuthToken[]> {
    return [...this.rows.values()].map(copyToken);
  }

  async deleteTokens(): Promise<void> {
    this.rows.clear();
  }

  async listEntries(): Promise<TokenEntry[]> {
    return [...this.rows.values()].map((token) => ({ ok: true, token: copyToken(token) }));
  }

  /** Copies here too: this store has no cache worth sharing. */
  readEntries(): Promise<TokenEntry[]> {
    return this.listEntries();
  }

  private lookup(step: LookupStep): OAuthToken | null {
    for (const row of this.rows.values()) {
      if (stepMatches(step, row)) return row;
    }
    return null;
  }
}
