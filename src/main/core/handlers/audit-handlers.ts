import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/** The open store's audit log: the list the window pages through and its CSV export. */
export function auditHandlers(ctx: CoreContext): AreaHandlers<'listAudit' | 'exportAuditCsv'> {
  const { lifecycle } = ctx;
  return {
    listAudit: async (req) => lifecycle.require().audit.list(req),
    exportAuditCsv: async (req) => lifecycle.require().audit.exportCsv(req),
  };
}
