import { memo } from 'react';
import { useNow } from '../lib/clock';
import { formatRelative, formatTimestamp } from '../lib/format';

/** "3 minutes ago" that stays true while the window is open; the exact time is in the title. */
export const RelativeTime = memo(function RelativeTime({
  at,
  never = 'Never',
}: {
  at: number | null;
  never?: string;
}) {
  const now = useNow();
  if (at === null) return <span className="muted">{never}</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatTimestamp(at)}>
      {formatRelative(at, now)}
    </time>
  );
});
