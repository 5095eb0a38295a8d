import type { ColumnDef, Table } from '@tanstack/react-table';
import type { TokenView } from '../../../shared/ipc/views';
import { DataCenterBadge, LiveStatusBadge } from '../../components/Badge';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { SafeText } from '../../components/SafeText';
import { formatLatency, shortenClientId } from '../../lib/format';
import { revealed } from '../../lib/safe-text';
import { sourceIdOf } from './token-sources';

function LastTestCell({ token }: { token: TokenView }) {
  const t = token.lastTest;
  if (!t) return <span className="muted">Not tested</span>;
  // Two short lines (result, then when) so neither is cut off in a narrow column.
  return (
    <span className="test-cell">
      <span className={t.ok ? 'test test--ok' : 'test test--fail'} title={t.message ?? undefined}>
        <span aria-hidden="true">{t.ok ? '✓ ' : '✕ '}</span>
        <span className="sr-only">{t.ok ? 'Passed ' : 'Failed '}</span>
        {t.httpStatus ?? '—'} · {t.ok ? formatLatency(t.latencyMs) : (t.errorCode ?? 'error')}
      </span>
      <span className="test__when">
        <RelativeTime at={t.at} />
      </span>
    </span>
  );
}

/** A user name longer than this is cut in the table; the tooltip and the details panel have all of it. */
const USER_CELL_MAX = 80;

/**
 * The client id as typed at sign-in, by its short label; shown safely like any text someone else controls,
 * the whole id (revealed) in the tooltip.
 */
function ClientIdText({ clientId, label }: { clientId: string | null; label: string }) {
  if (clientId === null) return <>{label}</>;
  return (
    <span title={revealed(clientId).slice(0, 500)}>
      <SafeText value={label} max={40} />
    </span>
  );
}

/** A client name or label longer than this is cut in the table; the details panel has all of it. */
const CLIENT_NAME_CELL_MAX = 40;
const LABEL_CELL_MAX = 60;

/** A token's label, marked as such for a screen reader (the column header names it too). */
function TokenLabelText({ label }: { label: string }) {
  return (
    <span className="token-label" data-testid="token-label-cell">
      <span className="sr-only">Label: </span>
      <SafeText value={label} max={LABEL_CELL_MAX} />
    </span>
  );
}

/** Table meta: compact is the narrow grid beside the details panel. */
export interface TokenTableMeta {
  readonly compact: boolean;
  /** Short client-id labels that stay distinct across the listed tokens (distinctClientIdLabels). */
  readonly clientLabel?: (clientId: string | null) => string;
  /** A source id's name (the Source column); absent when only the local store is listed. */
  readonly sourceName?: ((sourceId: string) => string) | undefined;
}

function sourceNameIn(table: Table<TokenView>, token: TokenView): string | null {
  const name = (table.options.meta as TokenTableMeta | undefined)?.sourceName;
  return name ? name(sourceIdOf(token)) : null;
}

/** The source's name under the user when the Source column itself is folded away (compact and narrow). */
function FoldedSource({ table, token }: { table: Table<TokenView>; token: TokenView }) {
  const name = sourceNameIn(table, token);
  if (name === null || table.getColumn('source')?.getIsVisible() !== false) return null;
  return (
    <span className="stacked__sub" data-testid="token-source-folded">
      <span className="sr-only">Source </span>
      <SafeText value={name} max={60} />
    </span>
  );
}

function isCompact(table: Table<TokenView>): boolean {
  return (table.options.meta as TokenTableMeta | undefined)?.compact === true;
}

function clientLabel(table: Table<TokenView>, clientId: string | null): string {
  return ((table.options.meta as TokenTableMeta | undefined)?.clientLabel ?? shortenClientId)(clientId);
}

/**
 * Columns the compact grid folds into another cell (client id under the user, last refreshed under the
 * expiry), so none of them leaves the screen while the details panel is open.
 */
export const COMPACT_HIDDEN = { clientId: false, lastRefreshedAt: false, source: false } as const;

/**
 * A window narrower than NARROW_WINDOW_QUERY: the compact fold, and the last test leaves the table for the
 * details panel (which shows it in full), so user, status, expiry and the actions button fit from 800 px.
 */
export const NARROW_HIDDEN = { ...COMPACT_HIDDEN, lastTest: false } as const;
export const NARROW_WINDOW_QUERY = '(max-width: 1099px)';

/**
 * Column definitions are static; cells read only their own row, so memoized rows stay cheap. Accessors exist
 * so TanStack treats every column as sortable; the order itself comes from sortTokens (manual sorting).
 */
export const COLUMNS: ColumnDef<TokenView, unknown>[] = [
  {
    accessorFn: (t) => t.userName,
    id: 'user',
    header: ({ table }) => (isCompact(table) ? 'User · client · label' : 'User · label'),
    cell: ({ row, table }) => {
      const t = row.original;
      const user = (
        <span className="cell-user">
          {t.userName !== null ? (
            <SafeText value={t.userName} max={USER_CELL_MAX} />
          ) : (
            <span className="muted">Unknown user</span>
          )}
        </span>
      );
      const label = t.label !== null && <TokenLabelText label={t.label} />;
      if (!isCompact(table)) {
        if (!label) return user;
        return (
          <span className="stacked">
            {user}
            <span className="stacked__sub">{label}</span>
          </span>
        );
      }
      // Narrow: the client (its name when it has one, else its short id) and the label fold under the user.
      return (
        <span className="stacked">
          {user}
          <FoldedSource table={table} token={t} />
          <span className="stacked__sub">
            <span className="sr-only">Client </span>
            <span className={t.clientName === null ? 'mono' : undefined}>
              <ClientIdText clientId={t.clientId} label={t.clientName ?? clientLabel(table, t.clientId)} />
            </span>
            {label && <span aria-hidden="true"> · </span>}
            {label}
          </span>
        </span>
      );
    },
  },
  {
    accessorFn: (t) => sourceIdOf(t),
    id: 'source',
    header: 'Source',
    cell: ({ row, table }) => (
      <span className="cell-source" data-testid="token-source">
        <SafeText value={sourceNameIn(table, row.original) ?? ''} max={60} />
      </span>
    ),
  },
  {
    accessorFn: (t) => t.dataCenter,
    id: 'dataCenter',
    header: 'Data center',
    cell: ({ row }) => <DataCenterBadge dc={row.original.dataCenter} env={row.original.environment} />,
  },
  {
    accessorFn: (t) => t.clientId,
    id: 'clientId',
    header: 'Client',
    cell: ({ row, table }) => {
      const t = row.original;
      const id = (
        <span className="mono">
          <ClientIdText clientId={t.clientId} label={clientLabel(table, t.clientId)} />
        </span>
      );
      if (t.clientName === null) return id;
      // The name a person gave the client on top, its id below: two look-alike clients read apart.
      return (
        <span className="stacked">
          <span data-testid="client-name-cell">
            <SafeText value={t.clientName} max={CLIENT_NAME_CELL_MAX} />
          </span>
          <span className="stacked__sub">{id}</span>
        </span>
      );
    },
  },
  {
    accessorFn: (t) => t.status,
    id: 'status',
    header: 'Status',
    cell: ({ row }) => <LiveStatusBadge token={row.original} />,
  },
  {
    accessorFn: (t) => t.expiresAt,
    id: 'expiresAt',
    header: ({ table }) => (isCompact(table) ? 'Expires · last refreshed' : 'Access token expires'),
    cell: ({ row, table }) =>
      isCompact(table) ? (
        <span className="stacked">
          <Countdown
            expiresAt={row.original.expiresAt}
            rejectedByZoho={row.original.status === 'reauth'}
            demoRunEnded={row.original.status === 'demo-ended'}
          />
          <span className="stacked__sub">
            Refreshed <RelativeTime at={row.original.lastRefreshedAt} never="never" />
          </span>
        </span>
      ) : (
        <Countdown
          expiresAt={row.original.expiresAt}
          rejectedByZoho={row.original.status === 'reauth'}
          demoRunEnded={row.original.status === 'demo-ended'}
        />
      ),
  },
  {
    accessorFn: (t) => t.lastRefreshedAt,
    id: 'lastRefreshedAt',
    header: 'Last refreshed',
    cell: ({ row }) => <RelativeTime at={row.original.lastRefreshedAt} />,
  },
  {
    accessorFn: (t) => t.lastTest?.at ?? null,
    id: 'lastTest',
    header: 'Last test',
    cell: ({ row }) => <LastTestCell token={row.original} />,
  },
];
