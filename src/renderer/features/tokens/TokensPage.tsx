import {
  Fragment,
  type RefObject,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { DATA_CENTER_IDS } from '../../../shared/datacenters';
import type { AppStatus, TokenView } from '../../../shared/ipc/views';
import { EmptyState } from '../../components/EmptyState';
import { InlineError } from '../../components/InlineError';
import { PageLoadFailed, PageLoading } from '../../components/PageStatus';
import { Select, type SelectOption } from '../../components/Select';
import { isShortcutTarget, shortcutFor } from '../../lib/shortcuts';
import { useMediaQuery } from '../../lib/use-media-query';
import { BulkBar } from './BulkBar';
import { ClearAllDialog } from './ClearAllDialog';
import { DeleteTokenDialog } from './DeleteTokenDialog';
import { DemoGuide } from './DemoGuide';
import { DemoWelcome } from './DemoWelcome';
import { EndedDemoNotice } from './EndedDemoNotice';
import { PendingRevokesPanel } from './PendingRevokesPanel';
import { ReauthoriseDialog } from './ReauthoriseDialog';
import { ScheduledCheckNotice } from './ScheduledCheckNotice';
import { readOnlyNoteId, SourceLoadStatus } from './SourceLoadStatus';
import {
  EMPTY_SELECTION,
  keepExisting,
  type Selection,
  shownState,
  toggleAllShown,
  toggleRow,
} from './selection';
import { TokenDetails } from './TokenDetails';
import { TokenJobDialog, type TokenJobRequest } from './TokenJobDialog';
import { type TableSelection, TokenTable, type TokenTableHandle } from './TokenTable';
import type { OnTokenAction } from './token-actions';
import { NARROW_WINDOW_QUERY } from './token-columns';
import {
  countByStatus,
  type DataCenterFilter,
  EMPTY_QUERY,
  filterTokens,
  isFiltered,
  STATUS_LABELS,
  type StatusFilter,
  sortTokens,
  type TokenQuery,
  type TokenSort,
} from './token-query';
import {
  isLocalRow,
  LOCAL_SOURCE_ID,
  LOCAL_SOURCE_NAME,
  type SourceFilter,
  sourceIdOf,
  tokenKey,
} from './token-sources';
import { useAllTokens } from './use-all-tokens';
import { useTokenActions } from './useTokenActions';

const STATUS_OPTIONS: ReadonlyArray<SelectOption<StatusFilter>> = [
  { value: 'all', label: 'All statuses' },
  { value: 'attention', label: 'Needs attention' },
  ...(Object.entries(STATUS_LABELS) as [StatusFilter, string][]).map(([value, label]) => ({ value, label })),
];
const DC_OPTIONS: ReadonlyArray<SelectOption<DataCenterFilter>> = [
  { value: 'all', label: 'All data centers' },
  ...DATA_CENTER_IDS.map((id) => ({ value: id, label: id })),
];

const EMPTY: readonly TokenView[] = [];

interface Props {
  readonly status: AppStatus;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly onAddAccount: () => void;
}

export function TokensPage({ status, searchRef, onAddAccount }: Props) {
  // Every source's rows (docs/sources.md "In the token table"); the page's loading and error states are
  // the local list's, which never waits for another source.
  const all = useAllTokens();
  const tokensQuery = all.local;
  const tokens = all.tokens;
  const { sourceName } = all;
  const [query, setQuery] = useState<TokenQuery>(EMPTY_QUERY);
  const [sort, setSort] = useState<TokenSort | null>({ key: 'status', desc: false });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TokenView | null>(null);
  const [reauthorising, setReauthorising] = useState<TokenView | null>(null);
  const [clearing, setClearing] = useState(false);
  const [job, setJob] = useState<TokenJobRequest | null>(null);
  const [rawSelection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const actions = useTokenActions();

  // Typing stays responsive with 10k rows: filtering and sorting work on the deferred query.
  const deferredQuery = useDeferredValue(query);
  const visible = useMemo(
    () => sortTokens(filterTokens(tokens, deferredQuery), sort, sourceName),
    [tokens, deferredQuery, sort, sourceName],
  );
  const sourceOptions: ReadonlyArray<SelectOption<SourceFilter>> = useMemo(
    () => [
      { value: 'all', label: 'All sources' },
      { value: LOCAL_SOURCE_ID, label: LOCAL_SOURCE_NAME },
      ...all.loads.map((l) => ({ value: l.id, label: l.name })),
    ],
    [all.loads],
  );
  // "Clear all" acts on one source: the one the filter shows, else this computer's store.
  const clearSourceId = query.source !== undefined && query.source !== 'all' ? query.source : LOCAL_SOURCE_ID;
  // A read-only team member may not clear the team store: the button is off, described by the reason.
  const clearBlocked = all.loads.find((l) => l.id === clearSourceId)?.readOnlyReason ?? null;
  const clearCount = useMemo(
    () => tokens.filter((t) => sourceIdOf(t) === clearSourceId).length,
    [tokens, clearSourceId],
  );
  const counts = useMemo(() => countByStatus(tokens), [tokens]);
  const narrow = useMediaQuery(NARROW_WINDOW_QUERY);
  const selected = useMemo(
    () => tokens.find((t) => tokenKey(t) === selectedId) ?? null,
    [tokens, selectedId],
  );

  // Bulk selection (selection.ts): tokens deleted meanwhile drop out; ranges and "all" run over the rows shown.
  // Bulk actions act on this computer's store, so only its rows are chosen (ids of sources overlap them).
  const selection = useMemo(
    () => keepExisting(rawSelection, new Set(tokens.filter(isLocalRow).map((t) => t.id))),
    [rawSelection, tokens],
  );
  const shownIds = useMemo(() => visible.filter(isLocalRow).map((t) => t.id), [visible]);
  const tableSelection: TableSelection = useMemo(
    () => ({
      ids: selection.ids,
      shown: shownState(selection, shownIds),
      onToggle: (id, range) => setSelection(toggleRow(selection, id, range, shownIds)),
      onToggleAll: () => setSelection(toggleAllShown(selection, shownIds)),
    }),
    [selection, shownIds],
  );
  const chosen = useMemo(() => [...selection.ids], [selection]);
  const hiddenChosen = useMemo(() => {
    const shown = new Set(shownIds);
    return chosen.filter((id) => !shown.has(id)).length;
  }, [chosen, shownIds]);

  const onAction: OnTokenAction = useCallback(
    (action, token) => {
      switch (action) {
        case 'test':
          void actions.test(token);
          break;
        case 'refresh':
          void actions.refresh(token);
          break;
        case 'copy':
          void actions.copy(token);
          break;
        case 'reauthorise':
          setReauthorising(token);
          break;
        case 'delete':
          setDeleting(token);
          break;
        case 'details':
          setSelectedId(tokenKey(token));
          break;
      }
    },
    [actions],
  );

  // After a dialog: back to the table's current row (the deleted row's neighbour takes its tab stop), else
  // the search box, else the first action on the empty page.
  const returnFocus = useCallback(() => {
    requestAnimationFrame(() => {
      const target =
        document.querySelector<HTMLElement>('[data-testid="token-row"][tabindex="0"]') ??
        searchRef.current ??
        document.querySelector<HTMLElement>('[data-testid="tokens-empty"] button');
      target?.focus();
    });
  }, [searchRef]);

  // Closing the details panel (× or Escape) puts focus back on that token's row, scrolled into view; if
  // the row is filtered out, on the table's current row or the search box.
  const tableRef = useRef<TokenTableHandle>(null);
  const closeDetails = useCallback(() => {
    const id = selectedId;
    setSelectedId(null);
    requestAnimationFrame(() => {
      if (id === null || !tableRef.current?.focusRow(id)) returnFocus();
    });
  }, [selectedId, returnFocus]);

  // Escape closes the details panel from the panel, the table or the page, but not while a dialog, menu or
  // list owns Escape, and not in a text field (where Escape clears the search).
  useEffect(() => {
    if (selected === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || shortcutFor(e) !== 'close' || !isShortcutTarget(e.target, document)) return;
      e.preventDefault();
      closeDetails();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected, closeDetails]);

  if (tokensQuery.isPending) return <PageLoading label="Loading tokens…" />;
  // Only when there is no list at all: a failed refetch (the 30 s poll, a push) keeps the rows and any open
  // dialog, and says above the table that the list may be out of date.
  if (tokensQuery.isError && tokensQuery.data === undefined) {
    return (
      <PageLoadFailed
        error={tokensQuery.error}
        title="Could not load tokens"
        onRetry={() => void tokensQuery.refetch()}
      />
    );
  }

  // Dialogs outlive the list: "Clear all" must keep its report after the last row is gone, so they sit
  // under the same wrapper with a key in both layouts and React keeps their state.
  const dialogs = (
    <Fragment key="dialogs">
      <DeleteTokenDialog token={deleting} onClose={() => setDeleting(null)} returnFocus={returnFocus} />
      {reauthorising && (
        <ReauthoriseDialog
          token={reauthorising}
          onClose={() => setReauthorising(null)}
          returnFocus={returnFocus}
        />
      )}
      {clearing && (
        <ClearAllDialog
          count={clearCount}
          {...(clearSourceId === LOCAL_SOURCE_ID
            ? {}
            : { source: { id: clearSourceId, name: sourceName?.(clearSourceId) ?? clearSourceId } })}
          onClose={() => setClearing(false)}
          returnFocus={returnFocus}
        />
      )}
      {job && (
        <TokenJobDialog
          job={job}
          onClose={() => setJob(null)}
          returnFocus={returnFocus}
          onShowAttention={() => setQuery({ ...EMPTY_QUERY, status: 'attention' })}
        />
      )}
    </Fragment>
  );

  const staleListError = tokensQuery.isError && (
    <div className="row" key="stale">
      <InlineError error={tokensQuery.error} title="The token list could not be updated" />
      <button type="button" className="btn" onClick={() => void tokensQuery.refetch()}>
        Try again
      </button>
    </div>
  );

  const sourceStatus = (
    <SourceLoadStatus
      key="source-loads"
      loads={all.loads}
      sourcesError={all.sourcesError}
      onRetrySources={all.retrySources}
    />
  );

  if (tokens.length === 0) {
    return (
      <div className="tokens-page">
        <h1 className="sr-only">Tokens</h1>
        {staleListError}
        {sourceStatus}
        <PendingRevokesPanel key="pending" />
        <DemoWelcome key="welcome" status={status} onAddAccount={onAddAccount} />
        {dialogs}
      </div>
    );
  }

  const attention = counts.expired + counts.reauth + counts.unreadable + counts['demo-ended'];

  return (
    <div className="tokens-page">
      {/* The toolbar and table say what this page is to the eye; a heading says it to screen readers. */}
      <h1 className="sr-only">Tokens</h1>
      <EndedDemoNotice
        count={counts['demo-ended']}
        status={status}
        onShowThem={() => setQuery({ ...EMPTY_QUERY, status: 'demo-ended' })}
      />
      {status.demo?.running && (
        <DemoGuide
          tokens={tokensQuery.data ?? EMPTY}
          onAction={onAction}
          pending={actions.pending}
          afterDismiss={() => requestAnimationFrame(() => searchRef.current?.focus())}
        />
      )}
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
        <button
          type="button"
          className="btn"
          onClick={() => setJob({ action: 'check', ids: null, count: tokens.length })}
          data-testid="check-all"
        >
          Check all
        </button>
        <button
          type="button"
          className="btn btn--danger-ghost"
          onClick={() => setClearing(true)}
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
      {staleListError}
      <ScheduledCheckNotice key="scheduled" />
      {chosen.length > 0 && (
        <BulkBar
          ids={chosen}
          hidden={hiddenChosen}
          onRun={(action) => setJob({ action, ids: chosen, count: chosen.length })}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
      )}
      {sourceStatus}
      <PendingRevokesPanel key="pending" />
      <p className="summary" aria-live="polite" data-testid="token-summary">
        Showing <strong>{visible.length}</strong> of {tokens.length}{' '}
        {tokens.length === 1 ? 'token' : 'tokens'}
        {attention > 0 && (
          <>
            {' '}
            ·{' '}
            <button
              type="button"
              className="link-button"
              onClick={() =>
                setQuery((q) => ({ ...q, status: q.status === 'attention' ? 'all' : 'attention' }))
              }
              aria-pressed={query.status === 'attention'}
              data-testid="show-attention"
            >
              <strong className="danger-text">{attention}</strong> need attention
            </button>
          </>
        )}
        {counts.expiring > 0 && <> · {counts.expiring} expiring soon</>}
      </p>
      <div className={selected ? 'tokens-layout tokens-layout--split' : 'tokens-layout'}>
        {visible.length === 0 ? (
          <EmptyState title="No tokens match" testId="tokens-no-match">
            <p>Nothing matches these filters. Try another search, or reset the filters.</p>
            <button type="button" className="btn" onClick={() => setQuery(EMPTY_QUERY)}>
              Reset filters
            </button>
          </EmptyState>
        ) : (
          <TokenTable
            tokens={visible}
            sort={sort}
            onSortChange={setSort}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onAction={onAction}
            pending={actions.pending}
            compact={selected !== null}
            narrow={narrow}
            handle={tableRef}
            selection={tableSelection}
            sourceName={sourceName}
          />
        )}
        {selected && (
          <TokenDetails
            token={selected}
            pending={actions.pending.get(tokenKey(selected)) ?? null}
            onAction={onAction}
            onClose={closeDetails}
            sourceName={sourceName?.(sourceIdOf(selected))}
          />
        )}
      </div>
      {dialogs}
    </div>
  );
}
