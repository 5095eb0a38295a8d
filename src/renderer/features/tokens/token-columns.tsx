import type { ColumnDef } from '@tanstack/react-table';
import type { TokenView } from '../../../shared/ipc/views';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { formatLatency, shortenClientId } from '../../lib/format';

function LastTestCell({ token }: { token: TokenView }) {
  const t = token.lastTest;
  if (!t) return <span className="muted">Not tested</span>;
  return (
    <span className={t.ok ? 'test test--ok' : 'test test--fail'}>
      <span aria-hidden="true">{t.ok ? '✓' : '✕'}</span>
      <span className="sr-only">{t.ok ? 'Passed' : 'Failed'}</span>
      {t.httpStatus ?? '—'} · {t.ok ? formatLatency(t.latencyMs) : (t.errorCode ?? 'error')}
      <span className="test__when">
        <RelativeTime at={t.at} />
      </span>
    </span>
  );
}

/**
 * Column definitions are static; cells read only their own row, so memoized rows stay cheap. Accessors exist
 * so TanStack treats every column as sortable; the order itself comes from sortTokens (manual sorting).
 */
export const COLUMNS: ColumnDef<TokenView, unknown>[] = [
  {
    accessorFn: (t) => t.userName,
    id: 'user',
    header: 'User',
    cell: ({ row }) => (
      <span className="cell-user" title={row.original.userName ?? undefined}>
        {row.original.userName ?? <span className="muted">Unknown user</span>}
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
    header: 'Client ID',
    cell: ({ row }) => (
      <span className="mono" title={row.original.clientId ?? undefined}>
        {shortenClientId(row.original.clientId)}
      </span>
    ),
  },
  {
    accessorFn: (t) => t.status,
    id: 'status',
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.status} />,
  },
  {
    accessorFn: (t) => t.expiresAt,
    id: 'expiresAt',
    header: 'Access token expires',
    cell: ({ row }) => <Countdown expiresAt={row.original.expiresAt} />,
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
