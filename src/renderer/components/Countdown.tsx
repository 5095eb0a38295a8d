import { memo } from 'react';
import { useNow } from '../lib/clock';
import { EXPIRY_MARGIN_MS, formatAbsolute, formatCountdown } from '../lib/format';

/**
 * Live countdown beside the absolute local time. Each instance reads the shared clock, so only cells on
 * screen re-render each second and there is never a timer per row.
 */
export const Countdown = memo(function Countdown({ expiresAt }: { expiresAt: number | null }) {
  const now = useNow();
  if (expiresAt === null) return <span className="muted">No access token</span>;
  const left = expiresAt - now;
  const tone = left < EXPIRY_MARGIN_MS ? 'expired' : left < 5 * 60_000 ? 'soon' : 'ok';
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
