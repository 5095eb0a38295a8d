import type { AuditRecord } from '../../audit/audit-log';
import { errorCodeOf } from '../../errors';
import { createLogger } from '../../log';
import { sourceAuditLog } from '../../sources/source-audit';
import type { TokenSource } from '../../sources/token-source';
import { notFound } from '../../tokens/errors';
import { describeWriteFailure } from '../../tokens/write-failure';
import { labelSourceId } from '../open-store-labels';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

const log = createLogger('app.labels');

/** Audit words quote what was typed, cut so one row stays one line of the log. */
function quoted(text: string): string {
  const chars = [...text];
  return `“${chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : text}”`;
}

interface LabelTexts {
  readonly label: string | null;
  readonly note: string | null;
}

/** What changed, for the audit row; a note is described by its length only. Null: nothing changed. */
function labelChange(before: LabelTexts, after: LabelTexts): string | null {
  const parts: string[] = [];
  if (before.label !== after.label) {
    parts.push(after.label === null ? 'Label removed' : `Label set to ${quoted(after.label)}`);
  }
  if (before.note !== after.note) {
    parts.push(after.note === null ? 'note removed' : `note changed (${[...after.note].length} characters)`);
  }
  if (parts.length === 0) return null;
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Client names and token labels and notes (docs/labels.md): saved, audited, pushed to every window. */
export function labelHandlers(ctx: CoreContext): AreaHandlers<'setTokenLabel' | 'setClientName'> {
  const { lifecycle, services, labels } = ctx;

  /** The audit row beside a saved name: its failure is reported, never turned into the save's. */
  function audit(source: TokenSource, entry: AuditRecord): string | null {
    try {
      sourceAuditLog(lifecycle.require().audit, source.descriptor).record(entry);
      return null;
    } catch (error) {
      log.warn('could not write a label audit row', { errorCode: errorCodeOf(error) });
      return `The audit entry could not be written: ${describeWriteFailure(error)}.`;
    }
  }

  return {
    async setTokenLabel(req) {
      const source = await services.sourceFor(req.sourceId);
      const token = await source.store.findTokenById(req.id);
      if (!token) throw notFound(req.id);
      const store = await labels.labels();
      const sourceId = labelSourceId(req.sourceId);
      const before = store.label(sourceId, req.id);
      const after = await store.setLabel(sourceId, req.id, { label: req.label, note: req.note });
      const detail = labelChange(before, after);
      if (detail === null) return { id: req.id, ...after };
      const warning = audit(source, {
        action: 'label',
        outcome: 'success',
        tokenId: req.id,
        userName: token.userName,
        detail,
      });
      ctx.changed('label');
      return { id: req.id, ...after, ...(warning ? { warnings: [warning] } : {}) };
    },

    async setClientName(req) {
      const store = await labels.labels();
      const clientId = req.clientId.trim();
      const before = store.clientName(clientId);
      const name = await store.setClientName(clientId, req.name);
      if (before === name) return { clientId, name };
      const warning = audit(await services.sourceFor(undefined), {
        action: 'label',
        outcome: 'success',
        detail:
          name === null
            ? `Client ${clientId}: name ${quoted(before ?? '')} removed.`
            : `Client ${clientId} named ${quoted(name)}${before === null ? '' : ` (was ${quoted(before)})`}.`,
      });
      ctx.changed('client-name');
      return { clientId, name, ...(warning ? { warnings: [warning] } : {}) };
    },
  };
}
