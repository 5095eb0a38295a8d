import type { Dispatch, SetStateAction } from 'react';
import type { TokenQuery } from './token-query';

interface Props {
  readonly shown: number;
  readonly total: number;
  /** Expired, to re-authorise, unreadable or from an ended demo: the "Needs attention" filter's tokens. */
  readonly attention: number;
  readonly expiring: number;
  readonly query: TokenQuery;
  readonly setQuery: Dispatch<SetStateAction<TokenQuery>>;
}

/** How many tokens are shown of how many, and how many need attention (a button that filters to them). */
export function TokenSummary({ shown, total, attention, expiring, query, setQuery }: Props) {
  return (
    <p className="summary" aria-live="polite" data-testid="token-summary">
      Showing <strong>{shown}</strong> of {total} {total === 1 ? 'token' : 'tokens'}
      {attention > 0 && (
        <>
          {' '}
          ·{' '}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              setQuery((q) => ({ ...q, status: q.status === 'attention' ? 'all' : 'attention' }))
            }
            aria-pressed={query.status === 'attention'}
            data-testid="show-attention"
          >
            <strong className="danger-text">{attention}</strong> need attention
          </button>
        </>
      )}
      {expiring > 0 && <> · {expiring} expiring soon</>}
    </p>
  );
}
