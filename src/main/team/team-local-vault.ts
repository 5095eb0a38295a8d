import { hostname } from 'node:os';
import { type TeamConnectionSettings, TeamConnectionSettingsSchema } from '../../shared/ipc/team';
import type { KeyProtector } from '../store/key-protector';
import { type AsideSealing, SealedAsideTable } from '../store/sealed-aside-table';
import { MemberKey, type MemberKeyFile } from './member-key';

const MEMBER_KEY_ROW = 'member-key';
const CONNECTION_ROW = 'connection';

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
  // A row that does not open makes a re-key fail (and roll back): losing the member key would lock this
  // computer out of the team store.
  private readonly table: SealedAsideTable;

  constructor(store: AsideSealing) {
    this.table = new SealedAsideTable(store, { table: 'team_local', bindingPrefix: 'team-local' });
  }

  /** This computer's member key, made (and kept) on first use. The caller owns the returned instance. */
  async memberKey(): Promise<MemberKey> {
    const stored = this.table.read(MEMBER_KEY_ROW);
    if (stored !== null) return MemberKey.unlock(stored, inEnvelope);
    const made = MemberKey.generate(`TokenDesk on ${hostname()}`.slice(0, 200));
    this.table.write(MEMBER_KEY_ROW, JSON.stringify(await made.export(inEnvelope)));
    return made;
  }

  /** Renames this computer's member key (the name the team sees when it creates a store). */
  async renameMemberKey(name: string): Promise<void> {
    const key = await this.memberKey();
    try {
      const file: MemberKeyFile = { ...(await key.export(inEnvelope)), name };
      this.table.write(MEMBER_KEY_ROW, JSON.stringify(file));
    } finally {
      key.close();
    }
  }

  connection(): TeamConnectionSettings | null {
    const text = this.table.read(CONNECTION_ROW);
    return text === null ? null : TeamConnectionSettingsSchema.parse(JSON.parse(text));
  }

  saveConnection(settings: TeamConnectionSettings): void {
    this.table.write(CONNECTION_ROW, JSON.stringify(settings));
  }

  forgetConnection(): void {
    this.table.remove(CONNECTION_ROW);
  }
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
