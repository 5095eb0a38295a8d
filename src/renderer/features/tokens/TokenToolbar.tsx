import type { Dispatch, RefObject, SetStateAction } from 'react';
import { DATA_CENTER_IDS } from '../../../shared/datacenters';
import { Select, type SelectOption } from '../../components/Select';
import { readOnlyNoteId } from './SourceLoadStatus';
import {
  type DataCenterFilter,
  EMPTY_QUERY,
  isFiltered,
  STATUS_LABELS,
  type StatusFilter,
  type TokenQuery,
} from './token-query';
import type { SourceFilter } from './token-sources';

const STATUS_OPTIONS: ReadonlyArray<SelectOption<StatusFilter>> = [
  { value: 'all', label: 'All statuses' },
  { value: 'attention', label: 'Needs attention' },
  ...(Object.entries(STATUS_LABELS) as [StatusFilter, string][]).map(([value, label]) => ({ value, label })),
];
const DC_OPTIONS: ReadonlyArray<SelectOption<DataCenterFilter>> = [
  { value: 'all', label: 'All data centers' },
  ...DATA_CENTER_IDS.map((id) => ({ value: id, label: id })),
];

interface Props {
  readonly query: TokenQuery;
  readonly setQuery: Dispatch<SetStateAction<TokenQuery>>;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  /** The source filter's choices; without `sourceName` (only local tokens) the filter is not shown. */
  readonly sourceOptions: ReadonlyArray<SelectOption<SourceFilter>>;
  readonly sourceName: ((sourceId: string) => string) | undefined;
  /** The source "Clear all" acts on (docs/sources.md "In the token table"). */
  readonly clearSourceId: string;
  /** Why "Clear all" is off for that source (a read-only team member), or null. */
  readonly clearBlocked: string | null;
  readonly onCheckAll: () => void;
  readonly onClearAll: () => void;
  readonly onAddAccount: () => void;
}

/** Above the token table: search, the status, data-center and source filters, and the page's actions. */
export function TokenToolbar({
  query,
  setQuery,
  searchRef,
  sourceOptions,
  sourceName,
  clearSourceId,
  clearBlocked,
  onCheckAll,
  onClearAll,
  onAddAccount,
}: Props) {
  return (
    <search className="toolbar">
      <div className="field field--inline toolbar__search">
        <label htmlFor="token-search" className="sr-only">
          Search tokens by user, client ID or name, label, note or organisation
        </label>
        <input
          id="token-search"
          ref={searchRef}
          type="search"
          className="input"
          placeholder="Search user, client, label, note, org  ( / )"
          value={query.search}
          onChange={(e) => setQuery((q) => ({ ...q, search: e.target.value }))}
          data-testid="token-search"
        />
      </div>
      <Select
        label="Filter by status"
        hideLabel
        value={query.status}
        options={STATUS_OPTIONS}
        onChange={(status) => setQuery((q) => ({ ...q, status }))}
        testId="filter-status"
      />
      <Select
        label="Filter by data center"
        hideLabel
        value={query.dataCenter}
        options={DC_OPTIONS}
        onChange={(dataCenter) => setQuery((q) => ({ ...q, dataCenter }))}
        testId="filter-dc"
      />
      {sourceName && (
        <Select
          label="Filter by source"
          hideLabel
          value={query.source ?? 'all'}
          options={sourceOptions}
          onChange={(source) => setQuery((q) => ({ ...q, source }))}
          testId="filter-source"
        />
      )}
      {isFiltered(query) && (
        <button type="button" className="btn btn--ghost" onClick={() => setQuery(EMPTY_QUERY)}>
          Reset filters
        </button>
      )}
      <span className="toolbar__spacer" />
      <button type="button" className="btn" onClick={onCheckAll} data-testid="check-all">
        Check all
      </button>
      <button
        type="button"
        className="btn btn--danger-ghost"
        onClick={onClearAll}
        disabled={clearBlocked !== null}
        aria-describedby={clearBlocked !== null ? readOnlyNoteId(clearSourceId) : undefined}
        data-testid="clear-all"
        title={
          sourceName
            ? `Clear all tokens in ${sourceName(clearSourceId)} (choose a source with the filter)`
            : undefined
        }
      >
        Clear all
      </button>
      <button type="button" className="btn btn--primary" onClick={onAddAccount} data-testid="add-account">
        Add account
      </button>
    </search>
  );
}
