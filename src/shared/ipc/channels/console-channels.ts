import { z } from 'zod';
import { AppStatusSchema, AuditEntrySchema, AuditFilterSchema, SettingsSchema } from '../views';
import { emptyRequest } from './request-fields';

/** The console's own pages: the audit log, settings, demo mode and help. */
export const consoleChannels = {
  listAudit: {
    channel: 'audit.list',
    request: AuditFilterSchema.strict(),
    response: z.array(AuditEntrySchema),
  },
  exportAuditCsv: {
    channel: 'audit.exportCsv',
    request: AuditFilterSchema.strict(),
    response: z.object({ csv: z.string(), count: z.number() }),
  },

  getSettings: { channel: 'settings.get', request: emptyRequest, response: SettingsSchema },
  updateSettings: {
    channel: 'settings.update',
    request: SettingsSchema.partial().strict(),
    response: SettingsSchema,
  },

  startDemo: { channel: 'demo.start', request: emptyRequest, response: AppStatusSchema },

  /** Opens the folder of the app log in the file manager; `path` is shown so it can be found by hand. */
  openLogFolder: {
    channel: 'help.openLogFolder',
    request: emptyRequest,
    response: z.object({ opened: z.boolean(), path: z.string().max(4096) }),
  },
} as const;
