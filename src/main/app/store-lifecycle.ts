import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { createLogger } from '../log';
import type { AuditRecord } from '../service/audit-log';
import type { Clock } from '../service/clock';
import { errorCodeOf, lockedError, ServiceError } from '../service/errors';
import { SqliteAuditLog } from '../service/sqlite-audit-log';
import { SqliteTokenNotes } from '../service/token-notes';
import type { KeyProtector } from '../store/key-protector';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { SqliteTokenStore } from '../store/sqlite-token-store';

const log = createLogger('app.store');

export type ProtectorChoice = 'keychain' | 'passphrase';
export type StoreState = 'uninitialised' | 'locked' | 'unlocked';

export interface KeychainAccess {
  availability(): Promise<{ available: boolean; reason: string | null }>;
  protector(): KeyProtector;
}

export interface OpenStore {
  readonly store: SqliteTokenStore;
  readonly audit: SqliteAuditLog;
  readonly notes: SqliteTokenNotes;
}

export interface StoreLifecycleOptions {
  readonly dataDir: string;
  readonly keychain: KeychainAccess | null;
  readonly clock: Clock;
  readonly passphraseProtector: (passphrase: string) => KeyProtector;
}

/** Which protector the store uses, so the next start knows whether to ask for a passphrase. */
const StoreConfigSchema = z.object({ version: z.literal(1), protector: z.enum(['keychain', 'passphrase']) });

export const DB_FILE = 'tokendesk.db';
const CONFIG_FILE = 'store.json';

/**
 * The token store's life: uninitialised -> (setup) -> unlocked; at a later start locked -> (unlock) ->
 * unlocked. The wrapped data key and its protector kind live in the database (SqliteTokenStore's meta);
 * `store.json` beside it only says which protector to ask for at start. A failed unlock is audited
 * through a short-lived connection to the same file (the audit table is not encrypted).
 */
export class StoreLifecycle {
  private opened: OpenStore | null = null;
  private choice: ProtectorChoice | null = null;
  private keychainFailure: string | null = null;

  constructor(private readonly options: StoreLifecycleOptions) {}

  private get dbPath(): string {
    return join(this.options.dataDir, DB_FILE);
  }

  private get configPath(): string {
    return join(this.options.dataDir, CONFIG_FILE);
  }

  /** Reads `store.json`; a keychain-protected store is unlocked right away when the keychain works. */
  async start(): Promise<void> {
    this.choice = this.readChoice();
    if (this.choice === 'keychain' && this.options.keychain) {
      try {
        this.opened = await this.open(this.options.keychain.protector());
        this.audit({ action: 'unlock', outcome: 'success', detail: 'Unlocked with the system keychain.' });
      } catch (error) {
        this.keychainFailure = 'The system keychain could not unlock the token store.';
        const code = errorCodeOf(error) ?? 'UNEXPECTED';
        log.warn('keychain unlock failed', { errorCode: code });
        this.auditWhileLocked({
          action: 'unlock_failed',
          outcome: 'failure',
          detail: `Unlock with the system keychain failed at start (${code}); the token store stays locked.`,
        });
      }
    }
  }

  get state(): StoreState {
    if (this.opened) return 'unlocked';
    return this.choice === null ? 'uninitialised' : 'locked';
  }

  get protector(): ProtectorChoice | null {
    return this.choice;
  }

  /** Why a keychain store is still locked, if it is. */
  get lockedReason(): string | null {
    return this.keychainFailure;
  }

  /** The open store, or a clear LOCKED error. */
  require(): OpenStore {
    if (!this.opened) throw lockedError();
    return this.opened;
  }

  get current(): OpenStore | null {
    return this.opened;
  }

  async setup(
    request: { protector: 'keychain' } | { protector: 'passphrase'; passphrase: string },
  ): Promise<void> {
    if (this.state !== 'uninitialised' || existsSync(this.dbPath)) {
      throw new ServiceError(
        'ALREADY_SET_UP',
        'The token store is already set up.',
        'Unlock it instead; to start over, remove the data folder.',
      );
    }
    let protector: KeyProtector;
    if (request.protector === 'keychain') {
      const availability = this.options.keychain ? await this.options.keychain.availability() : null;
      if (!this.options.keychain || !availability?.available) {
        throw new ServiceError(
          'KEYCHAIN_UNAVAILABLE',
          availability?.reason ?? 'The system keychain is not available here.',
          'Protect the store with a master passphrase instead.',
        );
      }
      protector = this.options.keychain.protector();
    } else {
      protector = this.options.passphraseProtector(request.passphrase);
    }
    this.opened = await this.open(protector);
    this.writeChoice(request.protector);
    this.choice = request.protector;
    this.audit({
      action: 'unlock',
      outcome: 'success',
      detail: `Token store created, protected by ${request.protector === 'keychain' ? 'the system keychain' : 'a master passphrase'}.`,
    });
  }

  async unlock(passphrase: string): Promise<void> {
    if (this.state === 'unlocked') return;
    if (this.state === 'uninitialised') {
      throw new ServiceError('NOT_SET_UP', 'The token store is not set up yet.', 'Set it up first.');
    }
    if (this.choice !== 'passphrase') {
      throw new ServiceError(
        'KEYCHAIN_UNAVAILABLE',
        'This token store is protected by the system keychain, not a passphrase, and the keychain could not open it.',
        'Make sure the system keyring is unlocked, then restart TokenDesk.',
      );
    }
    try {
      this.opened = await this.open(this.options.passphraseProtector(passphrase));
    } catch (error) {
      if (errorCodeOf(error) === 'WRONG_PASSPHRASE') {
        this.auditWhileLocked({
          action: 'unlock_failed',
          outcome: 'failure',
          detail: 'Unlock failed: wrong passphrase.',
        });
        throw new ServiceError(
          'WRONG_PASSPHRASE',
          'That passphrase is not correct.',
          'Check Caps Lock and try again.',
        );
      }
      throw error;
    }
    this.audit({ action: 'unlock', outcome: 'success', detail: 'Unlocked with the master passphrase.' });
  }

  async changePassphrase(current: string, next: string): Promise<void> {
    const { store } = this.require();
    if (this.choice !== 'passphrase') {
      throw new ServiceError(
        'NOT_SUPPORTED',
        'This token store is protected by the system keychain, so it has no passphrase to change.',
      );
    }
    // Verify `current` by unwrapping the stored key with it on a second connection.
    try {
      (await this.openStore(this.options.passphraseProtector(current))).close();
    } catch (error) {
      if (errorCodeOf(error) === 'WRONG_PASSPHRASE') {
        this.audit({
          action: 'passphrase_changed',
          outcome: 'failure',
          detail: 'Passphrase not changed: the current passphrase was wrong.',
        });
        throw new ServiceError(
          'WRONG_PASSPHRASE',
          'The current passphrase is not correct.',
          'Nothing was changed.',
        );
      }
      throw error;
    }
    await store.changeProtector(this.options.passphraseProtector(next));
    this.audit({ action: 'passphrase_changed', outcome: 'success', detail: 'Master passphrase changed.' });
  }

  audit(entry: AuditRecord): void {
    if (this.opened) this.opened.audit.record(entry);
    else this.auditWhileLocked(entry);
  }

  close(): void {
    this.opened?.store.close();
    this.opened = null;
  }

  private openStore(protector: KeyProtector): Promise<SqliteTokenStore> {
    return SqliteTokenStore.open({ path: this.dbPath, protector });
  }

  private async open(protector: KeyProtector): Promise<OpenStore> {
    const store = await this.openStore(protector);
    return {
      store,
      audit: new SqliteAuditLog(store.database, this.options.clock),
      notes: new SqliteTokenNotes(store.database),
    };
  }

  /** Never throws: a failed audit write (e.g. an unreadable file) must not hide the error being audited. */
  private auditWhileLocked(entry: AuditRecord): void {
    if (!existsSync(this.dbPath)) return;
    try {
      const db = new Database(this.dbPath);
      try {
        db.pragma('busy_timeout = 5000');
        new SqliteAuditLog(db, this.options.clock).record(entry);
      } finally {
        db.close();
      }
    } catch (error) {
      log.warn('could not write an audit row while locked', {
        action: entry.action,
        errorCode: errorCodeOf(error),
      });
    }
  }

  private readChoice(): ProtectorChoice | null {
    if (existsSync(this.configPath)) {
      try {
        return StoreConfigSchema.parse(JSON.parse(readFileSync(this.configPath, 'utf8'))).protector;
      } catch {
        log.warn('store.json is unreadable; asking for the passphrase');
        return 'passphrase';
      }
    }
    // A database without its note (e.g. the note was deleted): the passphrase is the safe guess.
    return existsSync(this.dbPath) ? 'passphrase' : null;
  }

  private writeChoice(protector: ProtectorChoice): void {
    const temp = `${this.configPath}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: 1, protector }), { mode: 0o600 });
    renameSync(temp, this.configPath);
  }
}

export function defaultPassphraseProtector(passphrase: string): KeyProtector {
  return new PassphraseKeyProtector(passphrase);
}
