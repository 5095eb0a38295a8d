import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import type { BusyRetryPolicy } from './database-busy';
import { readExtraWrappedKey, type WrappedKey, writeExtraWrappedKey } from './extra-protector';
import type { KeyProtector } from './key-protector';
import { generateDataKey, RowCrypto } from './row-crypto';
import { type AsideReseal, type RotateResult, resealEveryRow } from './sqlite-rekey';
import type { SqliteRowReader } from './sqlite-row-reader';
import { checkpointAfterRekey, readWrappedKey } from './sqlite-store-file';
import { TokenStoreError } from './token-store';

const log = createLogger('store.sqlite');

/** What the keys need of their store: its connection, reader and write path. */
export interface StoreKeysHost {
  readonly db: Database.Database;
  readonly reader: SqliteRowReader;
  /** Tables beside `tokens` whose envelopes follow a re-key (SqliteTokenStore.onRekey). */
  readonly asideResealers: readonly ((reseal: AsideReseal) => void)[];
  readonly busyRetry: BusyRetryPolicy | undefined;
  /** The store's write path: one transaction, retried while another program holds the lock. */
  readonly write: <T>(operation: () => T) => Promise<T>;
  readonly assertOpen: () => void;
}

/**
 * The key material of one SQLite token store (docs/storage.md, docs/store-lifecycle.md): the data key
 * (`RowCrypto`, which owns and zeroes it), the protector that wraps it, an optional second protector of
 * another kind, and the re-key that replaces the data key and re-seals every row in one transaction.
 */
export class StoreKeys {
  constructor(
    private readonly host: StoreKeysHost,
    private protector: KeyProtector,
    private current: RowCrypto,
  ) {}

  /** The current data key and its subkeys (a re-key replaces them: ask again at every use). */
  get crypto(): RowCrypto {
    return this.current;
  }

  /**
   * Protects the store with another KeyProtector (e.g. a new passphrase), under a fresh data key (see
   * `rekey`). Only rewrapping the old key would leave it opening the current file for anyone holding an
   * old copy of the wrapped key and the old passphrase, which is why a passphrase usually gets changed.
   * A store with a second protector needs it handed over too (`extra`), so the new key is wrapped for both.
   */
  async changeProtector(
    next: KeyProtector,
    options: { readonly extra?: KeyProtector } = {},
  ): Promise<RotateResult> {
    const result = await this.rekey(next, this.extraForRekey(options.extra, next));
    log.info('Protector changed', { protector: next.kind, extra: options.extra?.kind ?? null });
    return result;
  }

  /** A fresh data key under the same protector(s) (see `rekey`). */
  async rotateDataKey(options: { readonly extra?: KeyProtector } = {}): Promise<RotateResult> {
    const result = await this.rekey(this.protector, this.extraForRekey(options.extra, this.protector));
    log.info('Data key rotated', { rows: result.reencrypted, unreadable: result.unreadableIds.length });
    return result;
  }

  /** The kinds of protector that open this store: the first, and the second when one was added. */
  protectorKinds(): { readonly primary: string; readonly extra: string | null } {
    this.host.assertOpen();
    return {
      primary: readWrappedKey(this.host.db).kind,
      extra: readExtraWrappedKey(this.host.db)?.kind ?? null,
    };
  }

  /**
   * Lets a second protector of another kind open the store too (e.g. a passphrase beside the keychain, so
   * the command line can open a keychain store): the current data key, wrapped by `extra`, is stored
   * beside the first wrapped copy, replacing an earlier second one. Adding a way in needs no new data key.
   * The protector is only used to wrap and is dropped afterwards.
   */
  async addExtraProtector(extra: KeyProtector): Promise<void> {
    try {
      this.host.assertOpen();
      const primary = readWrappedKey(this.host.db).kind;
      if (extra.kind === primary) {
        throw new TokenStoreError('STORAGE', `This token store is already protected by "${primary}".`);
      }
      const wrapped = await this.current.wrapDataKey(extra);
      await this.host.write(() =>
        this.host.db
          .transaction(() => writeExtraWrappedKey(this.host.db, { wrapped, kind: extra.kind }))
          .immediate(),
      );
      log.info('Second protector added', { protector: extra.kind });
    } finally {
      extra.destroy?.();
    }
  }

  /**
   * Removes the second protector under a fresh data key wrapped by `primary` alone: whoever kept a copy of
   * the second wrapped key (an old copy of the file) and its passphrase must not open what is written next.
   */
  async removeExtraProtector(primary: KeyProtector): Promise<RotateResult> {
    this.host.assertOpen();
    const kinds = this.protectorKinds();
    if (kinds.extra === null || primary.kind !== kinds.primary) {
      if (primary !== this.protector) primary.destroy?.();
      throw new TokenStoreError(
        'STORAGE',
        kinds.extra === null
          ? 'This token store has no second protector to remove.'
          : `Removing the second protector needs the store's first one ("${kinds.primary}").`,
      );
    }
    const result = await this.rekey(primary, null);
    log.info('Second protector removed', { protector: kinds.extra });
    return result;
  }

  /** A re-key keeps the second protector only when the caller hands it over; it never drops it silently. */
  private extraForRekey(extra: KeyProtector | undefined, next: KeyProtector): KeyProtector | null {
    this.host.assertOpen();
    const stored = readExtraWrappedKey(this.host.db);
    if (extra !== undefined && extra.kind === next.kind) {
      throw new TokenStoreError(
        'STORAGE',
        `The second protector must differ from the first ("${next.kind}").`,
      );
    }
    if (stored !== null && extra === undefined) {
      throw new TokenStoreError(
        'STORAGE',
        `This token store also opens with "${stored.kind}"; a new data key must be wrapped for it too.`,
      );
    }
    return extra ?? null;
  }

  /**
   * A fresh data key wrapped by `protector` (and by `extra`, when the store keeps a second protector),
   * and every readable row re-sealed under it, all in one transaction, so a crash part way leaves the old
   * key, old protectors and old rows in place. Unreadable rows cannot be re-sealed and stay unreadable.
   * Assumes this is the only open connection that writes tokens (the app is single-instance).
   */
  private async rekey(protector: KeyProtector, extra: KeyProtector | null): Promise<RotateResult> {
    this.host.assertOpen();
    const newKey = generateDataKey();
    const next = new RowCrypto(newKey);
    let result: RotateResult;
    try {
      let wrapped: string;
      let extraWrapped: WrappedKey | null = null;
      try {
        wrapped = await protector.wrap(newKey);
        if (extra !== null) extraWrapped = { wrapped: await extra.wrap(newKey), kind: extra.kind };
      } finally {
        // `next` holds its own copy.
        newKey.fill(0);
      }
      result = await this.host.write(() =>
        this.host.db
          .transaction(() =>
            resealEveryRow(this.host.db, this.host.reader, this.current, {
              next,
              wrapped,
              protector,
              extra: extraWrapped,
              asideResealers: this.host.asideResealers,
            }),
          )
          .immediate(),
      );
    } catch (error) {
      next.destroy();
      // A new protector (a new passphrase) that never took over is dropped like one the store stops using.
      if (protector !== this.protector) protector.destroy?.();
      throw error;
    } finally {
      // The store keeps only the protector it opened with (or its first); a second one only wraps.
      if (extra !== null && extra !== this.protector) extra.destroy?.();
    }
    // Entries were authenticated under the old key: never serve them under the new one.
    this.host.reader.clear();
    this.current.destroy();
    this.current = next;
    // The old protector (an old passphrase) is no longer needed: drop what it holds.
    if (protector !== this.protector) this.protector.destroy?.();
    this.protector = protector;
    await checkpointAfterRekey(this.host.db, this.host.busyRetry);
    return result;
  }

  /** Zeroes the data key and drops what the protector holds (the store's close). */
  destroy(): void {
    this.current.destroy();
    this.protector.destroy?.();
  }
}
