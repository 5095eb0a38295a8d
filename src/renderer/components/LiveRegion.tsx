import { useEffect, useState } from 'react';

/**
 * A polite status region that exists, empty, before it says anything. Screen readers only announce
 * changes to a live region they already know about; one inserted together with its first words (a
 * progress block that appears when a clear starts) is usually read late or not at all. So the region
 * renders empty on mount and takes its message a moment later, and callers keep it mounted for as long as
 * their dialog is open, changing only `message`.
 */
export function LiveRegion({ message, testId }: { message: string; testId?: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setReady(true), 100);
    return () => window.clearTimeout(timer);
  }, []);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid={testId}>
      {ready ? message : ''}
    </div>
  );
}
