import type { OAuthToken } from '../store/oauth-token';
import {
  fillFound,
  isWellFormedId,
  type LookupStep,
  matchSteps,
  planSave,
  userNameAnswers,
} from '../store/token-matching';
import { type ListableTokenStore, type TokenEntry, TokenStoreError } from '../store/token-store';
import type { AccountResolver } from './account-from-api-domain';
import {
  type RowSideFacts,
  rowToToken,
  SDK_VALUE_COLUMNS,
  type SdkRow,
  sameRow,
  tokenToRow,
} from './sdk-row';
import type { RowSnapshot, SdkRowBackend } from './sdk-row-backend';
import { sameSdkUser, sdkUserKey } from './sdk-user-name';
import { SeenRows } from './seen-rows';

const CHANGED_ELSEWHERE =
  'This token was changed by its integration while TokenDesk was working on it; nothing was overwritten.';
const CHANGED_HINT = 'Reload the list and try again.';

/**
 * A TokenStore over rows in the official SDK's layout (shared rules in store/token-matching.ts). What the
 * layout has no column for is handled here once for every backend:
 * - data center and environment are derived from `api_domain`; scopes are unknown (null);
 * - `lastError` and `lastRefreshedAt` are kept for the life of this object only;
 * - a user name matches as one person whether it is `email` or an SDK form `email:<zgid>` of it (sdk-user-name.ts),
 *   and an update keeps the name the integration stored, since that is what the SDK looks the row up by;
 * - writes are conditional on the row as this store last read it, so a token the integration saved in the
 *   meantime is never overwritten (TokenStoreError CONFLICT instead).
 */
export class SdkLayoutStore implements ListableTokenStore {
  private readonly facts = new Map<string, RowSideFacts>();
  /** Counts changes of `facts`, which the tokens of a list carry. */
  private factsVersion = 0;
  /** The last getTokens answer (frozen, as the TokenStore contract allows) and what it was made of. */
  private listed: {
    readonly snapshot: RowSnapshot;
    readonly factsVersion: number;
    readonly tokens: readonly Readonly<OAuthToken>[];
  } | null = null;
  /** The row as this store last read or wrote it: what a later write expects to find. */
  private readonly seen = new SeenRows();
  /** Ids only grow within one store object, even after every row was deleted. */
  private highestId = 0;

  constructor(
    private readonly backend: SdkRowBackend,
    private readonly resolve: AccountResolver,
  ) {}

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    const asked = new Set<string>();
    for (const step of matchSteps(token)) {
      if (!firstAsking(asked, step)) continue;
      const found = await this.lookup(step);
      if (found) return fillFound(this.toToken(found), token);
    }
    return null;
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    if (!isWellFormedId(id)) return null;
    const row = await this.lookup({ by: 'id', id });
    return row ? this.toToken(row) : null;
  }

  async saveToken(token: OAuthToken): Promise<void> {
    this.checkLengths(token);
    // A save by id of a row this store has read (the save after a refresh): one conditional write.
    const seen = token.id !== null && isWellFormedId(token.id) ? this.seen.get(token.id) : undefined;
    if (seen && (await this.saveOverSeen(token, seen))) return;
    if (!seen && (await this.saveOverFirstSeen(token))) return;
    // planSave asks synchronously: answer every step it may ask first.
    const steps: LookupStep[] = [];
    if (token.id !== null && isWellFormedId(token.id)) steps.push({ by: 'id', id: token.id });
    steps.push(...matchSteps(token));
    const found = new Map<LookupStep, SdkRow | null>();
    const asked = new Set<string>();
    for (const step of steps) {
      // A step that asks what an earlier one asked has its answer: null (else the loop had stopped).
      const row = firstAsking(asked, step) ? await this.lookup(step, false) : null;
      found.set(step, row);
      if (row) break;
    }
    const rowsById = new Map<string, SdkRow>();
    const plan = planSave(
      token,
      (step) => {
        const hit = [...found.entries()].find(([s]) => sameStep(s, step))?.[1] ?? null;
        if (hit?.id) rowsById.set(hit.id, hit);
        return hit ? this.toToken(hit) : null;
      },
      Date.now(),
    );
    if (plan.kind === 'insert') {
      const id = await this.backend.insert(tokenToRow(plan.token, null), this.highestId);
      this.noteId(id);
      const written = tokenToRow(plan.token, id);
      this.seen.set(id, written);
      this.setFacts(id, plan.token);
      if (token.id !== id) token.id = id;
      return;
    }
    const id = plan.token.id!;
    const current = rowsById.get(id)!;
    const expected = this.seen.get(id) ?? current;
    if (!sameRow(expected, current)) {
      this.seen.set(id, current);
      throw new TokenStoreError('CONFLICT', CHANGED_ELSEWHERE, { tokenId: id, hint: CHANGED_HINT });
    }
    if (
      !(await this.commitUpdate(token, plan.token, current, (next) => this.backend.replace(current, next)))
    ) {
      this.seen.delete(id);
      throw new TokenStoreError('CONFLICT', CHANGED_ELSEWHERE, { tokenId: id, hint: CHANGED_HINT });
    }
  }

  /**
   * Writes `merged` over the row `current` with `write` (a guarded replace that is false when the row is
   * no longer `current`), then remembers the row as written. True when written.
   */
  private async commitUpdate(
    token: OAuthToken,
    merged: OAuthToken,
    current: SdkRow,
    write: (next: SdkRow) => Promise<boolean>,
  ): Promise<boolean> {
    const id = current.id!;
    // One person, two spellings: keep the integration's, which its SDK looks the row up by.
    if (sameSdkUser(current.user_name, merged.userName)) merged.userName = current.user_name;
    const next = tokenToRow(merged, id);
    if (!(await write(next))) return false;
    this.seen.set(id, next);
    this.setFacts(id, merged);
    // A token getTokens handed out is frozen and keeps its id: it can be saved back as it is.
    if (token.id !== id) token.id = id;
    return true;
  }

  /**
   * Plans the save against the row as this store last saw it and writes it only if the row still is
   * exactly that (the backend's replace names every old value), with no read first. False when the row
   * changed or went meanwhile: nothing was written, and the caller's full path reads the row again and
   * refuses (CONFLICT) or inserts, as it would have without this shortcut.
   */
  private async saveOverSeen(token: OAuthToken, seen: SdkRow): Promise<boolean> {
    const id = seen.id!;
    const plan = planSave(
      token,
      (step) => (step.by === 'id' && step.id === id ? this.toToken(seen) : null),
      Date.now(),
    );
    if (plan.kind !== 'update' || plan.token.id !== id) return false;
    return this.commitUpdate(token, plan.token, seen, (next) => this.backend.replace(seen, next));
  }

  /**
   * A save by identity (no id) that a row this store has read answers: planned against that row and
   * written in one statement that also checks, on the server, that the row is unchanged and still the
   * first the lookup would find. False when the store has read no such row or the server says otherwise:
   * nothing was written, and the caller's full path reads and plans again.
   */
  private async saveOverFirstSeen(token: OAuthToken): Promise<boolean> {
    if (!this.backend.replaceFirstMatch || (token.id !== null && isWellFormedId(token.id))) return false;
    const [step] = matchSteps(token);
    if (step === undefined || step.by === 'id') return false;
    const seen = this.seen.firstInTextOrder(this.answers(step));
    if (seen === undefined) return false;
    const id = seen.id!;
    const plan = planSave(token, (s) => (sameStep(s, step) ? this.toToken(seen) : null), Date.now());
    if (plan.kind !== 'update' || plan.token.id !== id) return false;
    const replaceFirstMatch = this.backend.replaceFirstMatch.bind(this.backend);
    return this.commitUpdate(token, plan.token, seen, (next) => replaceFirstMatch(step, seen, next));
  }

  async deleteToken(id: string): Promise<void> {
    if (!isWellFormedId(id)) return;
    const seen = this.seen.get(id);
    // A revoke-then-delete must not remove a token the integration put in this row after TokenDesk read it.
    const removed = await this.backend.remove(id, seen ? seen.refresh_token : undefined);
    if (!removed) {
      this.seen.delete(id);
      throw new TokenStoreError(
        'CONFLICT',
        'This row now holds a token its integration saved after TokenDesk read it, so it was not deleted.',
        { tokenId: id, hint: CHANGED_HINT },
      );
    }
    this.seen.delete(id);
    this.facts.delete(id);
    this.factsVersion++;
  }

  async getTokens(): Promise<readonly Readonly<OAuthToken>[]> {
    // listEntries without the entry wrappers: the readable rows only, each remembered for later writes.
    const snapshot = await this.backend.snapshot();
    const { rows } = snapshot;
    this.rememberAll(rows);
    // The backend hands back the very snapshot it gave before when every row read equals the last read
    // (docs/sources.md "Listing a MySQL table"): with no side fact changed since, the same tokens.
    const last = this.listed;
    if (last !== null && last.snapshot === snapshot && last.factsVersion === this.factsVersion) {
      return last.tokens;
    }
    const tokens = new Array<Readonly<OAuthToken>>(rows.length);
    for (let i = 0; i < rows.length; i++) tokens[i] = Object.freeze(this.toToken(rows[i]!));
    Object.freeze(tokens);
    this.listed = { snapshot, factsVersion: this.factsVersion, tokens };
    return tokens;
  }

  async deleteTokens(): Promise<void> {
    await this.backend.removeAll();
    this.seen.clear();
    this.facts.clear();
    this.factsVersion++;
  }

  async listEntries(): Promise<TokenEntry[]> {
    const snapshot = await this.backend.snapshot();
    this.rememberAll(snapshot.rows);
    const entries: TokenEntry[] = snapshot.rows.map((row) => ({ ok: true, token: this.toToken(row) }));
    for (const bad of snapshot.unreadable) {
      entries.push({
        ok: false,
        id: bad.id ?? '',
        userName: bad.userName,
        clientId: null,
        dataCenter: null,
        environment: null,
        error: bad.error,
      });
    }
    return entries;
  }

  readEntries(): Promise<TokenEntry[]> {
    return this.listEntries();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  /** `remember`: false while saving, so the row read to plan a write does not become what it expects. */
  private async lookup(step: LookupStep, remember = true): Promise<SdkRow | null> {
    const row = await this.backend.firstMatch(step, this.answers(step));
    if (row && remember) this.remember(row);
    return row;
  }

  /**
   * The shared rules' `stepMatches` as a test of one row, with the SDK user-name rule and the derived data
   * center. Built once per lookup: a lookup of a file tests thousands of rows.
   */
  private answers(step: LookupStep): (row: SdkRow) => boolean {
    switch (step.by) {
      case 'id':
        return (row) => row.id === step.id;
      case 'user': {
        const key = sdkUserKey(step.userName);
        return (row) => {
          // Both spellings of one person start with the email: most rows are turned down before the rule runs.
          if (row.user_name === null || !row.user_name.startsWith(key)) return false;
          if (!userNameAnswers(step, row.user_name)) return false;
          if (step.clientId !== null && row.client_id !== step.clientId) return false;
          const account = this.resolve(row.api_domain);
          if (step.dataCenter !== null && account?.dataCenter !== step.dataCenter) return false;
          return step.environment === null || account?.environment === step.environment;
        };
      }
      case 'accessToken':
        return (row) => row.access_token === step.value;
      case 'grantToken':
        return (row) => row.grant_token === step.value;
      case 'refreshToken':
        return (row) => row.refresh_token === step.value;
    }
  }

  private remember(row: SdkRow): void {
    if (row.id === null) return;
    this.seen.set(row.id, row);
    this.noteId(row.id);
  }

  /** A whole read, in id order: what later writes expect, and the highest id in one look. */
  private rememberAll(rows: readonly SdkRow[]): void {
    this.seen.replaceAll(rows);
    const last = rows[rows.length - 1];
    if (last?.id) this.noteId(last.id);
  }

  private noteId(id: string): void {
    const n = Number(id);
    if (Number.isSafeInteger(n) && n > this.highestId) this.highestId = n;
  }

  /** A fresh object every time (rowToToken builds a new one), so no caller shares another's. */
  private toToken(row: SdkRow): OAuthToken {
    // Most stores never hold a fact: skip the map for every row of a list then.
    const facts = this.facts.size > 0 && row.id ? this.facts.get(row.id) : undefined;
    return rowToToken(row, this.resolve, facts);
  }

  private setFacts(id: string, token: OAuthToken): void {
    this.facts.set(id, { lastError: token.lastError, lastRefreshedAt: token.lastRefreshedAt });
    this.factsVersion++;
  }

  private checkLengths(token: OAuthToken): void {
    const row = tokenToRow(token, token.id);
    this.backend.check?.(row);
    const limits = this.backend.maxLengths;
    if (limits === undefined) return;
    for (const column of SDK_VALUE_COLUMNS) {
      const value = row[column];
      const max = limits[column];
      if (value !== null && max !== undefined && [...value].length > max) {
        throw new TokenStoreError(
          'MALFORMED_TOKEN',
          `The ${column.replace('_', ' ')} is longer than this table's column allows (${max} characters); nothing was written.`,
        );
      }
    }
  }
}

/** What a step asks of this store: two steps asking the same are answered by the same rows. */
function question(step: LookupStep): string {
  return JSON.stringify(step);
}

/** True the first time `step`'s question is asked (and notes it): a repeat would read the same rows again. */
function firstAsking(asked: Set<string>, step: LookupStep): boolean {
  const q = question(step);
  if (asked.has(q)) return false;
  asked.add(q);
  return true;
}

function sameStep(a: LookupStep, b: LookupStep): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
