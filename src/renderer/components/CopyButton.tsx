import { useEffect, useRef, useState } from 'react';

/**
 * Copies non-secret text (a redirect URI, a sign-in URL) with the web clipboard. Token values are never
 * copied here: main does that (docs/architecture.md "Secrets").
 */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  // One reset timer: a second click restarts the 2 s, and unmounting (the dialog closing) cancels it.
  const reset = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(reset.current), []);
  return (
    <button
      type="button"
      className="btn btn--small"
      data-testid={testId}
      aria-label={label}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
        window.clearTimeout(reset.current);
        reset.current = window.setTimeout(() => setState('idle'), 2000);
      }}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
    </button>
  );
}
