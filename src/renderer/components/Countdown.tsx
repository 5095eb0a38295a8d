import { memo } from 'react';
import { accessTokenTimeStatus } from '../../shared/token-status';
import { useNow } from '../lib/clock';
import { formatAbsolute, formatCountdown } from '../lib/format';

/**
 * Live countdown beside the absolute local time. Each instance reads the shared clock, so only cells on
 * screen re-render each second and there is never a timer per row.
 */
export const Countdown = memo(function Countdown({
  expiresAt,
  rejectedByZoho = false,
  demoRunEnded = false,
}: {
  expiresAt: number | null;
  /** Zoho refused the token (revoked elsewhere, evicted): no countdown to a time that no longer matters. */
  rejectedByZoho?: boolean;
  /** Issued by a demo run that has ended: the token works nowhere, so its expiry means nothing either. */
  demoRunEnded?: boolean;
}) {
  const now = useNow();
  if (rejectedByZoho)
    return <span className="countdown__left countdown__left--expired">Rejected by Zoho</span>;
  if (demoRunEnded) return <span className="muted">Demo run ended</span>;
  if (expiresAt === null) return <span className="muted">No access token</span>;
  const TONES = { expired: 'expired', expiring: 'soon', valid: 'ok' } as const;
  const tone = TONES[accessTokenTimeStatus(expiresAt, now)];
  return (
    <span className="countdown">
      {/* The ticking text is hidden from screen readers: announcing every second would drown everything else. */}
      <span className={`countdown__left countdown__left--${tone}`} aria-hidden="true">
        {formatCountdown(expiresAt, now)}
      </span>
      <span className="countdown__at">{formatAbsolute(expiresAt, now)}</span>
    </span>
  );
});
