import type { AuditEntry, AuditFilter } from '../../shared/ipc/views';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { SourceDescriptor } from './token-source';

/**
 * The shared audit log, with every row this source's services write naming the source in its `source`
 * field, so the log says where a refresh, revoke or delete happened (the token ids of different sources
 * overlap) and can be filtered by it.
 */
export function sourceAuditLog(log: AuditLog, source: SourceDescriptor): AuditLog {
  if (source.kind === 'local') return log;
  return {
    record(entry: AuditRecord): AuditEntry {
      return log.record({ ...entry, source: source.displayName });
    },
    list(filter?: AuditFilter) {
      return log.list(filter);
    },
    exportCsv(filter?: AuditFilter) {
      return log.exportCsv(filter);
    },
  };
}
