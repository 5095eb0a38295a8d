import type { ColumnDef, Table } from '@tanstack/react-table';
import type { TokenView } from '../../../shared/ipc/views';
import { DataCenterBadge, LiveStatusBadge } from '../../components/Badge';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { SafeText } from '../../components/SafeText';
import { formatLatency, shortenClientId } from '../../lib/format';
import { revealed } from '../../lib/safe-text';

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

/** Table meta: compact is the narrow grid beside the details panel. */
export interface TokenTableMeta {
  readonly compact: boolean;
  /** Short client-id labels that stay distinct across the listed tokens (distinctClientIdLabels). */
  readonly clientLabel?: (clientId: string | null) => string;
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
export const COMPACT_HIDDEN = { clientId: false, lastRefreshedAt: false } as const;

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
    header: ({ table }) => (isCompact(table) ? 'User · client ID' : 'User'),
    cell: ({ row, table }) => {
      const user = (
        <span className="cell-user">
          {row.original.userName !== null ? (
            <SafeText value={row.original.userName} max={USER_CELL_MAX} />
          ) : (
            <span className="muted">Unknown user</span>
          )}
        </span>
      );
      if (!isCompact(table)) return user;
      return (
        <span className="stacked">
          {user}
          <span className="stacked__sub mono">
            <span className="sr-only">Client ID </span>
            <ClientIdText
              clientId={row.original.clientId}
              label={clientLabel(table, row.original.clientId)}
            />
          </span>
        </span>
      );
    },
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
    header: 'Client ID',
    cell: ({ row, table }) => (
      <span className="mono">
        <ClientIdText clientId={row.original.clientId} label={clientLabel(table, row.original.clientId)} />
      </span>
    ),
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
