import { type RefObject, useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { AppStatus, TokenView } from '../../../shared/ipc/views';
import { EmptyState } from '../../components/EmptyState';
import { InlineError } from '../../components/InlineError';
import { PageLoadFailed, PageLoading } from '../../components/PageStatus';
import type { SelectOption } from '../../components/Select';
import { useMediaQuery } from '../../lib/use-media-query';
import { BulkBar } from './BulkBar';
import { DemoGuide } from './DemoGuide';
import { DemoWelcome } from './DemoWelcome';
import { EndedDemoNotice } from './EndedDemoNotice';
import { PendingRevokesPanel } from './PendingRevokesPanel';
import { ScheduledCheckNotice } from './ScheduledCheckNotice';
import { SourceLoadStatus } from './SourceLoadStatus';
import { TokenDetails } from './TokenDetails';
import { TokenDialogs, useTokenDialogs } from './TokenDialogs';
import { TokenSummary } from './TokenSummary';
import { TokenTable } from './TokenTable';
import { TokenToolbar } from './TokenToolbar';
import type { OnTokenAction } from './token-actions';
import { NARROW_WINDOW_QUERY } from './token-columns';
import {
  countByStatus,
  EMPTY_QUERY,
  filterTokens,
  sortTokens,
  type TokenQuery,
  type TokenSort,
} from './token-query';
import { LOCAL_SOURCE_ID, LOCAL_SOURCE_NAME, type SourceFilter, sourceIdOf, tokenKey } from './token-sources';
import { useAllTokens } from './use-all-tokens';
import { useBulkSelection } from './use-bulk-selection';
import { useDetailsPanel, useReturnFocus } from './use-details-panel';
import { useTokenActions } from './useTokenActions';

const EMPTY: readonly TokenView[] = [];

interface Props {
  readonly status: AppStatus;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly onAddAccount: () => void;
}

/**
 * The tokens page: the toolbar (TokenToolbar.tsx), the table (TokenTable.tsx) with the details panel
 * (use-details-panel.ts) and bulk selection (use-bulk-selection.ts), and the dialogs (TokenDialogs.tsx).
 * This component holds the query and wires them together.
 */
export function TokensPage({ status, searchRef, onAddAccount }: Props) {
  // Every source's rows (docs/sources.md "In the token table"); the page's loading and error states are
  // the local list's, which never waits for another source.
  const all = useAllTokens();
  const tokensQuery = all.local;
  const tokens = all.tokens;
  const { sourceName } = all;
  const [query, setQuery] = useState<TokenQuery>(EMPTY_QUERY);
  const [sort, setSort] = useState<TokenSort | null>({ key: 'status', desc: false });
  const dialogs = useTokenDialogs();
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
  // "Check all" checks this computer's store (checkAllTokens with no source): count only its tokens.
  const localCount = useMemo(() => tokens.filter((t) => sourceIdOf(t) === LOCAL_SOURCE_ID).length, [tokens]);
  const counts = useMemo(() => countByStatus(tokens), [tokens]);
  const narrow = useMediaQuery(NARROW_WINDOW_QUERY);
  const bulk = useBulkSelection(tokens, visible);
  const returnFocus = useReturnFocus(searchRef);
  const details = useDetailsPanel(tokens, returnFocus);
  const { selected } = details;

  const { setDeleting, setReauthorising } = dialogs;
  const { setSelectedId } = details;
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
    [actions, setDeleting, setReauthorising, setSelectedId],
  );

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

  const dialogsShown = (
    <TokenDialogs
      key="dialogs"
      dialogs={dialogs}
      clearCount={clearCount}
      clearSource={
        clearSourceId === LOCAL_SOURCE_ID
          ? null
          : { id: clearSourceId, name: sourceName?.(clearSourceId) ?? clearSourceId }
      }
      returnFocus={returnFocus}
      onShowAttention={() => setQuery({ ...EMPTY_QUERY, status: 'attention' })}
    />
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
        {dialogsShown}
      </div>
    );
  }

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
      <TokenToolbar
        query={query}
        setQuery={setQuery}
        searchRef={searchRef}
        sourceOptions={sourceOptions}
        sourceName={sourceName}
        clearSourceId={clearSourceId}
        clearBlocked={clearBlocked}
        onCheckAll={() => dialogs.setJob({ action: 'check', ids: null, count: localCount })}
        onClearAll={() => dialogs.setClearing(true)}
        onAddAccount={onAddAccount}
      />
      {staleListError}
      <ScheduledCheckNotice key="scheduled" />
      {bulk.chosen.length > 0 && (
        <BulkBar
          ids={bulk.chosen}
          hidden={bulk.hiddenChosen}
          onRun={(action) => dialogs.setJob({ action, ids: bulk.chosen, count: bulk.chosen.length })}
          onClear={bulk.clear}
        />
      )}
      {sourceStatus}
      <PendingRevokesPanel key="pending" />
      <TokenSummary
        shown={visible.length}
        total={tokens.length}
        attention={counts.expired + counts.reauth + counts.unreadable + counts['demo-ended']}
        expiring={counts.expiring}
        query={query}
        setQuery={setQuery}
      />
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
            selectedId={details.selectedId}
            onSelect={setSelectedId}
            onAction={onAction}
            pending={actions.pending}
            compact={selected !== null}
            narrow={narrow}
            handle={details.tableRef}
            selection={bulk.tableSelection}
            sourceName={sourceName}
          />
        )}
        {selected && (
          <TokenDetails
            token={selected}
            pending={actions.pending.get(tokenKey(selected)) ?? null}
            onAction={onAction}
            onClose={details.closeDetails}
            sourceName={sourceName?.(sourceIdOf(selected))}
          />
        )}
      </div>
      {dialogsShown}
    </div>
  );
}
