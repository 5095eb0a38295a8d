import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/**
 * The team store on PostgreSQL (docs/team-store.md "In the console"). Thin: each handler calls the open
 * store's TeamConsole, and records on this computer what changed on this computer; member changes are
 * recorded in the team store's own audit log (team-members.ts). Token actions on team tokens are the token
 * handlers, with the team's `sourceId`.
 */
export function teamHandlers(
  ctx: CoreContext,
): AreaHandlers<
  | 'getTeam'
  | 'testTeamConnection'
  | 'createTeamStore'
  | 'joinTeamStore'
  | 'forgetTeamStore'
  | 'listTeamMembers'
  | 'checkTeamMemberKey'
  | 'addTeamMember'
  | 'removeTeamMember'
  | 'listTeamAudit'
> {
  const team = () => ctx.services.team();
  const audit = (detail: string) => ctx.lifecycle.audit({ action: 'settings', outcome: 'success', detail });
  return {
    getTeam: () => team().state(),
    testTeamConnection: (req) => team().test(req.settings),
    async createTeamStore(req) {
      const state = await team().create(req.settings, req.memberName);
      audit(
        `Team store created: ${state.team?.displayName ?? 'unknown'}; this computer is its first member.`,
      );
      return state;
    },
    async joinTeamStore(req) {
      const state = await team().join(req.settings, req.memberName);
      audit(`Team store joined: ${state.team?.displayName ?? 'unknown'}.`);
      return state;
    },
    async forgetTeamStore() {
      const state = await team().forget();
      audit('Team store forgotten on this computer (its tokens and members stay in the database).');
      return state;
    },
    listTeamMembers: () => team().members(),
    checkTeamMemberKey: async (req) => team().checkMemberKey(req.publicKey),
    addTeamMember: (req) => team().addMember(req),
    removeTeamMember: (req) => team().removeMember(req.memberId),
    listTeamAudit: (req) => team().audit(req),
  };
}
