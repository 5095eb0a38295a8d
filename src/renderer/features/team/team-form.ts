import type { TeamConnectionSettingsInput } from '../../../shared/ipc/team';
import type { ServerDraft } from '../sources/ServerConnectionFields';

/** The connection form as typed (strings), turned into the IPC settings on submit. */
export interface TeamDraft extends ServerDraft {
  readonly schema: string;
}

export const EMPTY_TEAM_DRAFT: TeamDraft = {
  host: '',
  port: '5432',
  database: '',
  user: 'tokendesk_app',
  password: '',
  tls: 'off',
  schema: 'tokendesk',
};

export function draftToTeamSettings(draft: TeamDraft): TeamConnectionSettingsInput {
  const port = Number.parseInt(draft.port, 10);
  return {
    host: draft.host.trim(),
    port: Number.isFinite(port) ? port : 0,
    database: draft.database.trim(),
    user: draft.user.trim(),
    password: draft.password,
    tls: draft.tls,
    schema: draft.schema.trim() || 'tokendesk',
  };
}
