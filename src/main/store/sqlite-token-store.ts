import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { createLogger } from '../log';
import { FieldCrypto, FieldIntegrityError, generateDataKey, type SecretField } from './field-crypto';
import { type KeyProtector, KeyProtectorError } from './key-protector';
import type { OAuthToken } from './oauth-token';
import {
  BLIND_INDEX_COLUMNS,
  DELETE_ALL,
  DELETE_ROW,
  INSERT_META,
  INSERT_ROW,
  SELECT_ALL,
  SELECT_BY_ID,
  SELECT_LAST_ID,
  SELECT_META,
  selectByBlindIndexSql,
  selectByUserSql,
  UPDATE_ROW,
  UPDATE_SECRETS,
  UPSERT_META,
} from './sqlite-queries';
import { migrate } from './sqlite-schema';
import { fillFound, isWellFormedId, type LookupStep, matchSteps, planSave, runSteps } from './token-matching';
import { type ListableTokenStore, type TokenEntry, TokenStoreError } from './token-store';

const log = createLogger('store.sqlite');

export interface SqliteTokenStoreOptions {
  /** Database file; created on first open. */
  readonly path: string;
  /** Wraps the data key: PassphraseKeyProtector, or safeStorage at the Electron edge. */
  readonly protector: KeyProtector;
  /** Passed to better-sqlite3's `nativeBinding` (the Electron edge points it at the rebuilt addon). */
  readonly nativeBinding?: string;
}

export interface RotateResult {
  /** Rows now sealed under the new data key. */
  readonly reencrypted: number;
  /** Rows that were already unreadable; left as they were (still unreadable, never silently "repaired"). */
  readonly unreadableIds: readonly string[];
}

/** Columns read back; blind indexes are only ever compared inside SQLite. */
interface TokenRow {
  id: number;
  user_name: string | null;
  client_id: string | null;
  data_center: string | null;
  environment: string | null;
  expiry_time: string | null;
  redirect_url: string | null;
  api_domain: string | null;
  scopes: string | null;
  created_at: number;
  updated_at: number;
  last_refreshed_at: number | null;
  last_error: string | null;
  client_secret_enc: Buffer | null;
  refresh_token_enc: Buffer | null;
  access_token_enc: Buffer | null;
  grant_token_enc: Buffer | null;
}

interface SecretParams {
  id: number;
  client_secret_enc: Buffer | null;
  refresh_token_enc: Buffer | null;
  access_token_enc: Buffer | null;
  grant_token_enc: Buffer | null;
  refresh_token_bidx: Buffer | null;
  access_token_bidx: Buffer | null;
  grant_token_bidx: Buffer | null;
}

interface WriteParams extends SecretParams {
  user_name: string | null;
  client_id: string | null;
  data_center: string | null;
  environment: string | null;
  expiry_time: string | null;
  redirect_url: string | null;
  api_domain: string | null;
  scopes: string | null;
  created_at: number;
  updated_at: number;
  last_refreshed_at: number | null;
  last_error: string | null;
}

const META_WRAPPED_KEY = 'wrapped_data_key';
const META_PROTECTOR_KIND = 'protector_kind';

const ScopesSchema = z.array(z.string());

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * The TokenStore on an encrypted SQLite file (DESIGN.md "Secrets"): secrets sealed per field with
 * AES-256-GCM bound to row and field, found by HMAC blind index, the data key wrapped by a KeyProtector.
 * better-sqlite3 is synchronous, so each method does its work in one go (inside one transaction where it
 * writes); the async signatures are the SDK's contract.
 */
export class SqliteTokenStore implements ListableTokenStore {
  private crypto: FieldCrypto;
  private closed = false;

  private readonly selectById: Statement<[number], TokenRow>;
  /** Indexed by a bitmask of which identity parts the token gives: 1 client id, 2 data center, 4 environment. */
  private readonly selectByUser: Statement<string[], TokenRow>[];
  private readonly selectByBlindIndex: Record<
    'accessToken' | 'grantToken' | 'refreshToken',
    Statement<[Buffer], TokenRow>
  >;
  private readonly selectAll: Statement<[], TokenRow>;
  private readonly selectLastId: Statement<[], { seq: number }>;
  private readonly insertRow: Statement<[WriteParams]>;
  private readonly updateRow: Statement<[WriteParams]>;
  private readonly updateSecrets: Statement<[SecretParams]>;
  private readonly deleteRow: Statement<[number]>;
  private readonly deleteAll: Statement<[]>;
  private readonly upsertMeta: Statement<[string, string]>;
  private readonly saveTransaction: (token: OAuthToken) => string;

  private constructor(
    private readonly db: Database.Database,
    private protector: KeyProtector,
    private dataKey: Buffer,
  ) {
    this.crypto = new FieldCrypto(dataKey);
    // Every statement is prepared here, once: re-preparing per call would dominate lookup time.
    this.selectById = db.prepare(SELECT_BY_ID);
    this.selectByUser = [];
    for (let mask = 0; mask < 8; mask++) this.selectByUser.push(db.prepare(selectByUserSql(mask)));
    this.selectByBlindIndex = {
      accessToken: db.prepare(selectByBlindIndexSql(BLIND_INDEX_COLUMNS.accessToken)),
      grantToken: db.prepare(selectByBlindIndexSql(BLIND_INDEX_COLUMNS.grantToken)),
      refreshToken: db.prepare(selectByBlindIndexSql(BLIND_INDEX_COLUMNS.refreshToken)),
    };
    this.selectAll = db.prepare(SELECT_ALL);
    this.selectLastId = db.prepare(SELECT_LAST_ID);
    this.insertRow = db.prepare(INSERT_ROW);
    this.updateRow = db.prepare(UPDATE_ROW);
    this.updateSecrets = db.prepare(UPDATE_SECRETS);
    this.deleteRow = db.prepare(DELETE_ROW);
    this.deleteAll = db.prepare(DELETE_ALL);
    this.upsertMeta = db.prepare(UPSERT_META);

    // Immediate: the lookup and the write happen under one write lock, so two processes saving the same
    // identity cannot both decide "insert".
    const save = db.transaction((token: OAuthToken): string => {
      const plan = planSave(token, (step) => this.lookup(step), Date.now());
      if (plan.kind === 'update') {
        this.updateRow.run(this.encode(plan.token, Number(plan.token.id), this.crypto));
        return plan.token.id!;
      }
      // The id must be known before encrypting (it is in the AAD). sqlite_sequence holds the largest id
      // ever used, so ids only grow, even after deletes; INSERT with an explicit id keeps it up to date.
      const id = (this.selectLastId.get()?.seq ?? 0) + 1;
      this.insertRow.run(this.encode(plan.token, id, this.crypto));
      return String(id);
    });
    this.saveTransaction = (token) => save.immediate(token);
  }

  /**
   * Opens (creating on first use) the store at `path`. The first open makes a random data key and stores
   * it wrapped by `protector`; later opens unwrap it. Throws TokenStoreError 'WRONG_PASSPHRASE' (message
   * says "wrong passphrase") or 'LOCKED' when the key cannot be unwrapped.
   */
  static async open(options: SqliteTokenStoreOptions): Promise<SqliteTokenStore> {
    const db = new Database(
      options.path,
      options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
    );
    try {
      db.pragma('journal_mode = WAL');
      // Zero freed pages, so an old ciphertext (or another module's deleted row) does not linger.
      db.pragma('secure_delete = ON');
      // A save that returned must survive a crash: fsync the WAL on every commit.
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      migrate(db);
      const dataKey = await loadOrCreateDataKey(db, options.protector);
      return new SqliteTokenStore(db, options.protector, dataKey);
    } catch (error) {
      db.close();
      throw toOpenError(error);
    }
  }

  /** The underlying connection, for modules that keep their own tables in the same file (the audit log). */
  get database(): Database.Database {
    return this.db;
  }

  /** Kind of the KeyProtector now wrapping the data key. */
  get protectorKind(): string {
    return this.protector.kind;
  }

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    return this.guard(() => {
      const found = runSteps(matchSteps(token), (step) => this.lookup(step));
      return found ? fillFound(found, token) : null;
    });
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    return this.guard(() => (isWellFormedId(id) ? this.lookup({ by: 'id', id }) : null));
  }

  async saveToken(token: OAuthToken): Promise<void> {
    const id = this.guard(() => this.saveTransaction(token));
    token.id = id;
  }

  async deleteToken(id: string): Promise<void> {
    this.guard(() => {
      if (isWellFormedId(id)) this.deleteRow.run(Number(id));
    });
  }

  async getTokens(): Promise<OAuthToken[]> {
    const entries = this.guard(() => this.readAll());
    const tokens: OAuthToken[] = [];
    const unreadable: string[] = [];
    for (const entry of entries) {
      if (entry.ok) tokens.push(entry.token);
      else unreadable.push(entry.id);
    }
    if (unreadable.length > 0) log.warn('Skipped unreadable token rows', { ids: unreadable });
    return tokens;
  }

  async deleteTokens(): Promise<void> {
    this.guard(() => {
      this.deleteAll.run();
    });
  }

  async listEntries(): Promise<TokenEntry[]> {
    return this.guard(() => this.readAll());
  }

  /** Rewraps the data key with another protector (e.g. a new passphrase). Rows are untouched. */
  async changeProtector(next: KeyProtector): Promise<void> {
    this.assertOpen();
    const wrapped = await next.wrap(this.dataKey);
    this.guard(() => {
      this.db
        .transaction(() => {
          this.upsertMeta.run(META_WRAPPED_KEY, wrapped);
          this.upsertMeta.run(META_PROTECTOR_KIND, next.kind);
        })
        .immediate();
    });
    this.protector = next;
    log.info('Data key rewrapped', { protector: next.kind });
  }

  /**
   * A fresh data key: every readable row re-sealed and the new key wrapped, all in one transaction, so a
   * crash part way leaves the old key and old rows in place. Unreadable rows cannot be re-sealed and stay
   * unreadable. Assumes this is the only open connection that writes tokens (the app is single-instance).
   */
  async rotateDataKey(): Promise<RotateResult> {
    this.assertOpen();
    const newKey = generateDataKey();
    const wrapped = await this.protector.wrap(newKey);
    const kind = this.protector.kind;
    const next = new FieldCrypto(newKey);
    let result: RotateResult;
    try {
      result = this.guard(() =>
        this.db
          .transaction((): RotateResult => {
            // Decrypt with the key current at commit time: a save may have landed during the await above.
            const rows = this.selectAll.all();
            const unreadableIds: string[] = [];
            let reencrypted = 0;
            for (const row of rows) {
              const entry = this.decodeEntry(row);
              if (!entry.ok) {
                unreadableIds.push(entry.id);
                continue;
              }
              this.updateSecrets.run(this.encodeSecrets(entry.token, row.id, next));
              reencrypted++;
            }
            this.upsertMeta.run(META_WRAPPED_KEY, wrapped);
            this.upsertMeta.run(META_PROTECTOR_KIND, kind);
            return { reencrypted, unreadableIds };
          })
          .immediate(),
      );
    } catch (error) {
      next.destroy();
      newKey.fill(0);
      throw error;
    }
    this.crypto.destroy();
    this.dataKey.fill(0);
    this.crypto = next;
    this.dataKey = newKey;
    log.info('Data key rotated', { rows: result.reencrypted, unreadable: result.unreadableIds.length });
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.crypto.destroy();
    this.dataKey.fill(0);
  }

  private lookup(step: LookupStep): OAuthToken | null {
    let row: TokenRow | undefined;
    switch (step.by) {
      case 'id':
        row = this.selectById.get(Number(step.id));
        break;
      case 'user': {
        const params = [step.userName];
        let mask = 0;
        if (step.clientId !== null) {
          mask |= 1;
          params.push(step.clientId);
        }
        if (step.dataCenter !== null) {
          mask |= 2;
          params.push(step.dataCenter);
        }
        if (step.environment !== null) {
          mask |= 4;
          params.push(step.environment);
        }
        row = this.selectByUser[mask]!.get(...params);
        break;
      }
      default:
        row = this.selectByBlindIndex[step.by].get(this.crypto.blindIndex(step.by, step.value));
    }
    if (!row) return null;
    const entry = this.decodeEntry(row);
    if (!entry.ok) throw entry.error;
    return entry.token;
  }

  private readAll(): TokenEntry[] {
    return this.selectAll.all().map((row) => this.decodeEntry(row));
  }

  private decodeEntry(row: TokenRow): TokenEntry {
    const id = String(row.id);
    try {
      const open = (field: SecretField, sealed: Buffer | null) =>
        sealed === null ? null : this.crypto.decrypt(id, field, sealed);
      const token: OAuthToken = {
        id,
        userName: row.user_name,
        clientId: row.client_id,
        clientSecret: open('clientSecret', row.client_secret_enc),
        refreshToken: open('refreshToken', row.refresh_token_enc),
        accessToken: open('accessToken', row.access_token_enc),
        grantToken: open('grantToken', row.grant_token_enc),
        expiryTime: row.expiry_time,
        redirectUrl: row.redirect_url,
        apiDomain: row.api_domain,
        dataCenter: parseDataCenter(row.data_center),
        environment: parseEnvironment(row.environment),
        scopes: row.scopes === null ? null : ScopesSchema.parse(JSON.parse(row.scopes)),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        lastRefreshedAt: row.last_refreshed_at,
        lastError: row.last_error,
      };
      return { ok: true, token };
    } catch (cause) {
      // Only integrity and format failures make a row unreadable; anything else is a real fault.
      if (
        !(cause instanceof FieldIntegrityError || cause instanceof z.ZodError || cause instanceof SyntaxError)
      ) {
        throw cause;
      }
      return {
        ok: false,
        id,
        userName: row.user_name,
        clientId: row.client_id,
        dataCenter: row.data_center,
        environment: row.environment,
        error: new TokenStoreError(
          'UNREADABLE_ROW',
          `Token row ${id} failed its integrity check: it was modified outside TokenDesk or sealed with another key, so it cannot be read. Delete it and authorise again.`,
          id,
          { cause },
        ),
      };
    }
  }

  private encode(token: OAuthToken, id: number, crypto: FieldCrypto): WriteParams {
    return {
      ...this.encodeSecrets(token, id, crypto),
      user_name: token.userName,
      client_id: token.clientId,
      data_center: token.dataCenter,
      environment: token.environment,
      expiry_time: token.expiryTime,
      redirect_url: token.redirectUrl,
      api_domain: token.apiDomain,
      scopes: token.scopes === null ? null : JSON.stringify(token.scopes),
      created_at: token.createdAt ?? Date.now(),
      updated_at: token.updatedAt ?? Date.now(),
      last_refreshed_at: token.lastRefreshedAt,
      last_error: token.lastError,
    };
  }

  private encodeSecrets(token: OAuthToken, id: number, crypto: FieldCrypto): SecretParams {
    const rowId = String(id);
    const seal = (field: SecretField, value: string | null) =>
      value === null ? null : crypto.encrypt(rowId, field, value);
    const index = (field: 'refreshToken' | 'accessToken' | 'grantToken', value: string | null) =>
      value === null || value === '' ? null : crypto.blindIndex(field, value);
    return {
      id,
      client_secret_enc: seal('clientSecret', token.clientSecret),
      refresh_token_enc: seal('refreshToken', token.refreshToken),
      access_token_enc: seal('accessToken', token.accessToken),
      grant_token_enc: seal('grantToken', token.grantToken),
      refresh_token_bidx: index('refreshToken', token.refreshToken),
      access_token_bidx: index('accessToken', token.accessToken),
      grant_token_bidx: index('grantToken', token.grantToken),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new TokenStoreError('STORAGE', 'The token store is closed.');
  }

  /** Runs a synchronous store operation; SQLite failures become TokenStoreError('STORAGE'). */
  private guard<T>(operation: () => T): T {
    this.assertOpen();
    try {
      return operation();
    } catch (error) {
      if (error instanceof TokenStoreError) throw error;
      if (error instanceof Database.SqliteError) {
        // SQLite's messages name tables and constraints, never bound values, so they carry no secret.
        throw new TokenStoreError('STORAGE', `Token database error: ${error.message}`, undefined, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

async function loadOrCreateDataKey(db: Database.Database, protector: KeyProtector): Promise<Buffer> {
  const select = db.prepare<[string], { value: string }>(SELECT_META);
  const readWrapped = () => {
    const wrapped = select.get(META_WRAPPED_KEY)?.value;
    const kind = select.get(META_PROTECTOR_KIND)?.value;
    return wrapped === undefined ? null : { wrapped, kind: kind ?? '' };
  };
  let existing = readWrapped();
  if (existing === null) {
    const dataKey = generateDataKey();
    // Wrapping is async (scrypt, safeStorage), so it cannot run inside the transaction; the transaction
    // re-checks, and if another process created a key meanwhile, that one wins and ours is dropped.
    const wrapped = await protector.wrap(dataKey);
    const insert = db.prepare<[string, string]>(INSERT_META);
    existing = db
      .transaction(() => {
        const raced = readWrapped();
        if (raced !== null) return raced;
        insert.run(META_WRAPPED_KEY, wrapped);
        insert.run(META_PROTECTOR_KIND, protector.kind);
        return null;
      })
      .immediate();
    if (existing === null) return dataKey;
    dataKey.fill(0);
  }
  if (existing.kind !== protector.kind) {
    throw new TokenStoreError(
      'LOCKED',
      `This token store's key is protected by "${existing.kind}", not "${protector.kind}"; unlock it with that.`,
    );
  }
  return protector.unwrap(existing.wrapped);
}

function toOpenError(error: unknown): unknown {
  if (error instanceof KeyProtectorError) {
    return new TokenStoreError(
      error.code === 'WRONG_PASSPHRASE' ? 'WRONG_PASSPHRASE' : 'LOCKED',
      error.message,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof Database.SqliteError) {
    return new TokenStoreError('STORAGE', `Cannot open the token database: ${error.message}`, undefined, {
      cause: error,
    });
  }
  return error;
}

function parseDataCenter(value: string | null): DataCenterId | null {
  if (value === null) return null;
  if ((DATA_CENTER_IDS as readonly string[]).includes(value)) return value as DataCenterId;
  throw new SyntaxError('unknown data center');
}

function parseEnvironment(value: string | null): ZohoEnvironment | null {
  if (value === null) return null;
  if ((ENVIRONMENTS as readonly string[]).includes(value)) return value as ZohoEnvironment;
  throw new SyntaxError('unknown environment');
}
