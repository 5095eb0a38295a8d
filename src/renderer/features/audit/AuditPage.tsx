import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { auditOutcomeShown } from '../../../shared/audit-outcome';
import { AUDIT_ACTIONS, type AuditEntry, OWN_STORE_SOURCE } from '../../../shared/ipc/views';
import { toUserError } from '../../api/client';
import { useAudit, useIpcMutation, useSources } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { InlineError } from '../../components/InlineError';
import { SafeText } from '../../components/SafeText';
import { Select } from '../../components/Select';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { downloadText } from '../../lib/download';
import { formatTimestamp } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import {
  ACTION_LABELS,
  type ActionChoice,
  AUDIT_LIMIT,
  type AuditFilterDraft,
  auditCsvFilename,
  type OutcomeChoice,
  type SinceChoice,
  type SourceChoice,
  toAuditFilter,
} from './audit-filters';

const ROW_HEIGHT = 40;

const OUTCOME_BADGES = {
  success: { tone: 'ok', text: '✓ Succeeded' },
  'partly-done': { tone: 'warn', text: '◐ Partly done' },
  failure: { tone: 'danger', text: '✕ Failed' },
} as const;

function OutcomeBadge({ entry }: { entry: AuditEntry }) {
  const shown = OUTCOME_BADGES[auditOutcomeShown(entry)];
  return <Badge tone={shown.tone}>{shown.text}</Badge>;
}
/** Cut in the grid (one line per row); the tooltip and the CSV export carry the whole value. */
const USER_MAX = 80;
const DETAIL_MAX = 300;
const EMPTY: readonly AuditEntry[] = [];

const ACTION_OPTIONS = [
  { value: 'all' as ActionChoice, label: 'All actions' },
  ...AUDIT_ACTIONS.map((a) => ({ value: a as ActionChoice, label: ACTION_LABELS[a] })),
];
const OUTCOME_OPTIONS: ReadonlyArray<{ value: OutcomeChoice; label: string }> = [
  { value: 'all', label: 'Any outcome' },
  { value: 'success', label: 'Succeeded' },
  { value: 'partial', label: 'Partly done' },
  { value: 'failure', label: 'Failed' },
];
/** A row's source as the grid shows it (null: this computer's store, docs/sources.md). */
const OWN_STORE_NAME = 'This computer';
const SINCE_OPTIONS: ReadonlyArray<{ value: SinceChoice; label: string }> = [
  { value: 'any', label: 'Any time' },
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

export function AuditPage() {
  const toast = useToast();
  const [draft, setDraft] = useState<AuditFilterDraft>({
    action: 'all',
    outcome: 'all',
    text: '',
    since: 'any',
    sinceFrom: Date.now(),
  });
  // Typing in the search box waits for a pause; the selects apply at once.
  const text = useDebounced(draft.text, 250);
  const filter = useMemo(() => toAuditFilter({ ...draft, text }), [draft, text]);
  const audit = useAudit(filter);
  const sources = useSources();
  const sourceOptions: ReadonlyArray<{ value: SourceChoice; label: string }> = useMemo(
    () => [
      { value: 'all', label: 'All sources' },
      { value: OWN_STORE_SOURCE, label: OWN_STORE_NAME },
      ...(sources.data ?? []).map((s) => ({ value: s.displayName, label: s.displayName })),
    ],
    [sources.data],
  );
  const exportCsv = useIpcMutation('exportAuditCsv');
  const entries = audit.data ?? EMPTY;
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  const doExport = () =>
    exportCsv.mutate(filter, {
      onSuccess: ({ csv, count }) => {
        const name = auditCsvFilename(Date.now());
        downloadText(name, csv);
        toast({
          tone: 'success',
          title: `Exported ${count} audit ${count === 1 ? 'entry' : 'entries'}`,
          description: name,
        });
      },
      onError: (error) => {
        const e = toUserError(error);
        toast({ tone: 'error', title: 'Export failed', description: e.message, hint: e.hint });
      },
    });

  return (
    <div className="page" data-testid="audit-page">
      <div className="page__head">
        <h1 className="page__title">Audit log</h1>
        <button
          type="button"
          className="btn"
          onClick={doExport}
          disabled={exportCsv.isPending}
          data-testid="export-csv"
        >
          {exportCsv.isPending ? <Spinner label="Exporting…" /> : 'Export CSV'}
        </button>
      </div>
      <search className="toolbar">
        <div className="field field--inline toolbar__search">
          <label htmlFor="audit-text" className="sr-only">
            Search user or detail
          </label>
          <input
            id="audit-text"
            type="search"
            className="input"
            placeholder="Search user or detail"
            value={draft.text}
            onChange={(e) => setDraft((d) => ({ ...d, text: e.target.value }))}
            data-testid="audit-search"
          />
        </div>
        <Select
          label="Action"
          hideLabel
          value={draft.action}
          options={ACTION_OPTIONS}
          onChange={(action) => setDraft((d) => ({ ...d, action }))}
          testId="audit-action"
        />
        <Select
          label="Outcome"
          hideLabel
          value={draft.outcome}
          options={OUTCOME_OPTIONS}
          onChange={(outcome) => setDraft((d) => ({ ...d, outcome }))}
          testId="audit-outcome"
        />
        <Select
          label="Source"
          hideLabel
          value={draft.source ?? 'all'}
          options={sourceOptions}
          onChange={(source) => setDraft((d) => ({ ...d, source }))}
          testId="audit-source"
        />
        <Select
          label="Since"
          hideLabel
          value={draft.since}
          options={SINCE_OPTIONS}
          onChange={(since) => setDraft((d) => ({ ...d, since, sinceFrom: Date.now() }))}
          testId="audit-since"
        />
      </search>
      <p className="summary" aria-live="polite">
        {audit.isFetching ? (
          <Spinner label="Loading…" />
        ) : (
          `${entries.length}${entries.length === AUDIT_LIMIT ? '+' : ''} entries`
        )}
      </p>
      {audit.isError ? (
        <div className="row">
          <InlineError error={audit.error} title="Could not load the audit log" />
          <button type="button" className="btn" onClick={() => void audit.refetch()}>
            Try again
          </button>
        </div>
      ) : audit.isPending ? (
        <Spinner label="Loading the audit log…" />
      ) : entries.length === 0 ? (
        <EmptyState title="No audit entries" testId="audit-empty">
          <p>
            Every sign-in, refresh, revoke, delete, test call, copy and export is recorded here. Change the
            filters, or act on a token.
          </p>
        </EmptyState>
      ) : (
        <div className="grid-wrap" data-testid="audit-table">
          <section
            className="grid-scroll"
            ref={scrollRef}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled with the keyboard (WCAG 2.1.1)
            tabIndex={0}
            aria-label="Audit entries, scrollable"
          >
            <table className="grid grid--audit" aria-label="Audit log" aria-rowcount={entries.length + 1}>
              <thead className="grid__head">
                <tr className="grid__row grid__row--head" aria-rowindex={1}>
                  {['Time', 'Action', 'Source', 'Outcome', 'User', 'Detail'].map((h) => (
                    <th key={h} scope="col" className="grid__cell grid__cell--head">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="grid__body" style={{ height: virtualizer.getTotalSize() }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const e = entries[item.index];
                  if (!e) return null;
                  return (
                    <tr
                      key={e.id}
                      aria-rowindex={item.index + 2}
                      className="grid__row"
                      style={{ transform: `translateY(${item.start}px)` }}
                      data-testid="audit-row"
                      data-outcome={e.outcome}
                    >
                      <td className="grid__cell nums cell-nowrap">{formatTimestamp(e.at)}</td>
                      <td className="grid__cell">{ACTION_LABELS[e.action]}</td>
                      <td className="grid__cell" data-testid="audit-source-cell">
                        {e.source !== null ? (
                          <SafeText value={e.source} max={USER_MAX} />
                        ) : (
                          <span className="muted">{OWN_STORE_NAME}</span>
                        )}
                      </td>
                      <td className="grid__cell">
                        <OutcomeBadge entry={e} />
                      </td>
                      <td className="grid__cell cell-user">
                        {e.userName !== null ? (
                          <SafeText value={e.userName} max={USER_MAX} />
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="grid__cell cell-detail">
                        <SafeText value={e.detail} max={DETAIL_MAX} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </div>
  );
}
