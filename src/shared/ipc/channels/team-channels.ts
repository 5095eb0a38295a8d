import { z } from 'zod';
import {
  MemberAccessSchema,
  TeamAuditEntrySchema,
  TeamConnectionCheckSchema,
  TeamConnectionSettingsSchema,
  TeamMemberViewSchema,
  TeamRemoveResultSchema,
  TeamStateSchema,
} from '../team';
import { AuditFilterSchema } from '../views';
import { emptyRequest } from './request-fields';

const teamPublicKey = z.string().trim().min(1).max(200);
const connectRequest = z
  .object({ settings: TeamConnectionSettingsSchema, memberName: z.string().trim().max(200).optional() })
  .strict();

/**
 * The team store (docs/team-store.md "In the console"). Token actions on team tokens use the token
 * channels with the team's `sourceId`.
 */
export const teamChannels = {
  getTeam: { channel: 'team.get', request: emptyRequest, response: TeamStateSchema },
  testTeamConnection: {
    channel: 'team.test',
    request: z.object({ settings: TeamConnectionSettingsSchema }).strict(),
    response: TeamConnectionCheckSchema,
  },
  createTeamStore: { channel: 'team.create', request: connectRequest, response: TeamStateSchema },
  joinTeamStore: { channel: 'team.join', request: connectRequest, response: TeamStateSchema },
  forgetTeamStore: { channel: 'team.forget', request: emptyRequest, response: TeamStateSchema },
  listTeamMembers: {
    channel: 'team.members.list',
    request: emptyRequest,
    response: z.array(TeamMemberViewSchema),
  },
  checkTeamMemberKey: {
    channel: 'team.members.check',
    request: z.object({ publicKey: teamPublicKey }).strict(),
    response: z.object({ fingerprint: z.string() }),
  },
  addTeamMember: {
    channel: 'team.members.add',
    request: z
      .object({
        publicKey: teamPublicKey,
        name: z.string().trim().min(1, 'Give the new member a name.').max(200),
        access: MemberAccessSchema,
      })
      .strict(),
    response: TeamMemberViewSchema,
  },
  removeTeamMember: {
    channel: 'team.members.remove',
    request: z.object({ memberId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: TeamRemoveResultSchema,
  },
  listTeamAudit: {
    channel: 'team.audit.list',
    request: AuditFilterSchema.omit({ action: true }).strict(),
    response: z.array(TeamAuditEntrySchema),
  },
} as const;
