import type { ReactNode } from 'react';
import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import { DATA_CENTERS } from '../../shared/datacenters';
import type { TokenStatus, TokenView } from '../../shared/ipc/views';
import { liveTokenStatus } from '../../shared/token-status';
import { STATUS_DESCRIPTIONS, STATUS_LABELS } from '../features/tokens/token-query';
import { useNow } from '../lib/clock';

export type Tone = 'neutral' | 'ok' | 'warn' | 'danger' | 'info' | 'muted';

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS_TONE: Readonly<Record<TokenStatus, Tone>> = {
  valid: 'ok',
  expiring: 'warn',
  expired: 'info',
  reauth: 'danger',
  unreadable: 'danger',
  'demo-ended': 'muted',
};

/** A glyph as well as a colour and the words, so status reads in greyscale and to screen readers alike. */
const STATUS_GLYPH: Readonly<Record<TokenStatus, string>> = {
  valid: '●',
  expiring: '◐',
  expired: '↻',
  reauth: '!',
  unreadable: '✕',
  'demo-ended': '◌',
};

export function StatusBadge({ status }: { status: TokenStatus }) {
  return (
    <span
      className={`badge badge--${STATUS_TONE[status]}`}
      title={STATUS_DESCRIPTIONS[status]}
      data-status={status}
    >
      <span aria-hidden="true" className="badge__glyph">
        {STATUS_GLYPH[status]}
      </span>
      {STATUS_LABELS[status]}
    </span>
  );
}

/**
 * A token's status as of now: follows the shared 1 s clock, so it turns "Expired" the same second as the
 * countdown beside it instead of at the next list refresh.
 */
export function LiveStatusBadge({ token }: { token: Pick<TokenView, 'status' | 'expiresAt'> }) {
  const now = useNow();
  return <StatusBadge status={liveTokenStatus(token.status, token.expiresAt, now)} />;
}

const ENV_SHORT: Readonly<Record<ZohoEnvironment, string>> = {
  production: 'Prod',
  sandbox: 'Sandbox',
  developer: 'Dev',
};

export function DataCenterBadge({ dc, env }: { dc: DataCenterId | null; env: ZohoEnvironment | null }) {
  if (dc === null) return <span className="muted">Unknown</span>;
  return (
    <span className="dc" title={`${DATA_CENTERS[dc].label}, ${env ?? 'unknown environment'}`}>
      <span className="badge badge--neutral badge--mono">{dc}</span>
      {env && <span className={`badge badge--env badge--env-${env}`}>{ENV_SHORT[env]}</span>}
    </span>
  );
}
