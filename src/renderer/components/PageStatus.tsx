import { InlineError } from './InlineError';
import { Spinner } from './Spinner';

/** A whole page (or the app) waiting for its first data. */
export function PageLoading({ label }: { label: string }) {
  return (
    <div className="page-center">
      <Spinner label={label} />
    </div>
  );
}

/** A whole page (or the app) whose data did not load, with a way to ask again. */
export function PageLoadFailed({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title: string;
  onRetry: () => void;
}) {
  return (
    <div className="page-center">
      <InlineError error={error} title={title} />
      <button type="button" className="btn" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
