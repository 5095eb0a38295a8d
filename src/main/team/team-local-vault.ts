import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { type TeamConnectionSettings, TeamConnectionSettingsSchema } from '../../shared/ipc/team';
import type { KeyProtector } from '../store/key-protector';
import type { RowBinding } from '../store/row-crypto';
import type { SqliteTokenStore } from '../store/sqlite-token-store';
import { MemberKey, type MemberKeyFile } from './member-key';

/** What the vault needs of the local store: its file, and its envelope sealing for tables beside `tokens`. */
export type LocalSealing = Pick<SqliteTokenStore, 'database' | 'sealAside' | 'openAside' | 'onRekey'>;

const MEMBER_KEY_ROW = 'member-key';
const CONNECTION_ROW = 'connection';

/** The envelope is bound to the row name alone (never decimal, so it cannot pass for a token row). */
function bindingOf(row: string): RowBinding {
  return {
    id: `team-local:${row}`,
    userName: null,
    clientId: null,
    dataCenter: null,
    environment: null,
    expiryTime: null,
    redirectUrl: null,
    apiDomain: null,
  };
}

/**
 * Hands a private key to MemberKey as it is: the real protection is the local store's envelope around the
 * whole row (so the keychain or passphrase that protects the store protects the key too).
 */
const IN_ENVELOPE = 'tokendesk-local-store';
const inEnvelope: KeyProtector = {
  kind: IN_ENVELOPE,
  wrap: async (raw) => raw.toString('base64url'),
  unwrap: async (wrapped) => Buffer.from(wrapped, 'base64url'),
};

/**
 * This TokenDesk's own team data, in the local store's file (docs/team-store.md "In the console"): its
 * member key (an X25519 pair made on first use) and the team store's connection settings, each sealed
 * with the store's row envelope. Nothing of it is in electron-store or a log; a passphrase change moves
 * both to the new key inside the same transaction as the token rows, and locking the store locks them.
 */
export class TeamLocalVault {
  private readonly db: Database.Database;

  constructor(private readonly store: LocalSealing) {
    this.db = store.database;
    this.db.exec('CREATE TABLE IF NOT EXISTS team_local (id TEXT PRIMARY KEY, sealed BLOB NOT NULL)');
    store.onRekey((move) => {
      const rows = this.db.prepare('SELECT id, sealed FROM team_local').all() as Row[];
      const update = this.db.prepare('UPDATE team_local SET sealed = ? WHERE id = ?');
      // A row that does not open makes the re-key fail (and roll back): losing the member key would lock
      // this computer out of the team store.
      for (const row of rows) update.run(move(bindingOf(row.id), row.sealed), row.id);
    });
  }

  /** This computer's member key, made (and kept) on first use. The caller owns the returned instance. */
  async memberKey(): Promise<MemberKey> {
    const stored = this.read(MEMBER_KEY_ROW);
    if (stored !== null) return MemberKey.unlock(stored, inEnvelope);
    const made = MemberKey.generate(`TokenDesk on ${hostname()}`.slice(0, 200));
    this.write(MEMBER_KEY_ROW, JSON.stringify(await made.export(inEnvelope)));
    return made;
  }

  /** Renames this computer's member key (the name the team sees when it creates a store). */
  async renameMemberKey(name: string): Promise<void> {
    const key = await this.memberKey();
    try {
      const file: MemberKeyFile = { ...(await key.export(inEnvelope)), name };
      this.write(MEMBER_KEY_ROW, JSON.stringify(file));
    } finally {
      key.close();
    }
  }

  connection(): TeamConnectionSettings | null {
    const text = this.read(CONNECTION_ROW);
    return text === null ? null : TeamConnectionSettingsSchema.parse(JSON.parse(text));
  }

  saveConnection(settings: TeamConnectionSettings): void {
    this.write(CONNECTION_ROW, JSON.stringify(settings));
  }

  forgetConnection(): void {
    this.db.prepare('DELETE FROM team_local WHERE id = ?').run(CONNECTION_ROW);
  }

  private read(row: string): string | null {
    const found = this.db.prepare('SELECT sealed FROM team_local WHERE id = ?').get(row) as
      | { sealed: Buffer }
      | undefined;
    if (!found) return null;
    return this.store.openAside(bindingOf(row), found.sealed).clientSecret;
  }

  private write(row: string, text: string): void {
    // The envelope seals four named secret slots; the text travels whole in the first.
    const sealed = this.store.sealAside(bindingOf(row), {
      clientSecret: text,
      refreshToken: null,
      accessToken: null,
      grantToken: null,
    });
    this.db
      .prepare(
        'INSERT INTO team_local (id, sealed) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed',
      )
      .run(row, sealed);
  }
}

interface Row {
  readonly id: string;
  readonly sealed: Buffer;
}

/** The URI a team store's settings stand for (what `parseTeamSourceUri` reads). */
export function teamSettingsUri(settings: TeamConnectionSettings): string {
  const url = new URL('postgres://localhost');
  url.hostname = settings.host;
  url.port = String(settings.port);
  url.username = encodeURIComponent(settings.user);
  url.password = encodeURIComponent(settings.password);
  url.pathname = `/${encodeURIComponent(settings.database)}`;
  if (settings.schema !== 'tokendesk') url.searchParams.set('schema', settings.schema);
  // node-postgres: verify-full checks the certificate and host name; no-verify encrypts without checking.
  if (settings.tls === 'required') url.searchParams.set('sslmode', 'verify-full');
  if (settings.tls === 'insecure') url.searchParams.set('sslmode', 'no-verify');
  return url.toString();
}
