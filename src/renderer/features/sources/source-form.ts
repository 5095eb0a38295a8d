import type { SourceSettingsInput } from '../../../shared/ipc/sources';
import type { ServerDraft } from './ServerConnectionFields';

export type SourceKindChoice = 'filestore' | 'sqlite' | 'mysql';

/** What the form holds while a person types (strings, as inputs give them). */
export interface SourceDraft extends ServerDraft {
  readonly kind: SourceKindChoice;
  readonly path: string;
  readonly table: string;
  /** Empty on edit: keep the stored password. */
  readonly password: string;
}

export const EMPTY_DRAFT: SourceDraft = {
  kind: 'filestore',
  path: '',
  table: 'oauthtoken',
  host: 'localhost',
  port: '3306',
  user: 'root',
  password: '',
  database: 'zohooauth',
  tls: 'off',
};

export const KIND_LABELS: Record<SourceKindChoice, string> = {
  filestore: 'SDK FileStore (CSV file)',
  sqlite: 'SQLite table (SDK layout)',
  mysql: 'SDK DBStore on MySQL / MariaDB',
};

/** The request's settings; `keepPassword`: an edit with the password left empty keeps the stored one. */
export function draftToSettings(draft: SourceDraft, keepPassword: boolean): SourceSettingsInput {
  switch (draft.kind) {
    case 'filestore':
      return { kind: 'filestore', path: draft.path.trim() };
    case 'sqlite':
      return { kind: 'sqlite', path: draft.path.trim(), table: draft.table.trim() || 'oauthtoken' };
    case 'mysql':
      return {
        kind: 'mysql',
        host: draft.host.trim() || 'localhost',
        port: Number(draft.port) || 3306,
        user: draft.user.trim() || 'root',
        ...(keepPassword && draft.password === '' ? {} : { password: draft.password }),
        database: draft.database.trim() || 'zohooauth',
        table: draft.table.trim() || 'oauthtoken',
        tls: draft.tls,
      };
  }
}

/** The form for a stored source's settings (its password is never sent back: left empty). */
export function settingsToDraft(settings: unknown): SourceDraft {
  const s = (settings ?? {}) as Partial<Record<keyof SourceDraft, unknown>>;
  const text = (v: unknown, fallback: string) =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
  const kind = s.kind === 'sqlite' || s.kind === 'mysql' ? s.kind : 'filestore';
  return {
    kind,
    path: text(s.path, ''),
    table: text(s.table, 'oauthtoken'),
    host: text(s.host, 'localhost'),
    port: text(s.port, '3306'),
    user: text(s.user, 'root'),
    password: '',
    database: text(s.database, 'zohooauth'),
    tls: s.tls === 'required' || s.tls === 'insecure' ? s.tls : 'off',
  };
}
