import { toUserError } from '../api/client';

/** An error as plain words plus the likely fix; `role=alert` so it is announced when it appears. */
export function InlineError({ error, title, testId }: { error: unknown; title?: string; testId?: string }) {
  if (!error) return null;
  const e = toUserError(error);
  return (
    <div className="inline-error" role="alert" data-testid={testId ?? 'inline-error'} data-code={e.code}>
      {title && <strong className="inline-error__title">{title}</strong>}
      <p className="inline-error__message">{e.message}</p>
      {e.hint && <p className="inline-error__hint">{e.hint}</p>}
    </div>
  );
}
