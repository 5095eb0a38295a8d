import { type ReactNode, useId } from 'react';
import { DATA_CENTERS } from '../../../shared/datacenters';
import type { TokenView } from '../../../shared/ipc/views';
import { liveTokenStatus } from '../../../shared/token-status';
import { LiveStatusBadge } from '../../components/Badge';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { SafeText } from '../../components/SafeText';
import { Spinner } from '../../components/Spinner';
import { useNow } from '../../lib/clock';
import { formatLatency, formatTimestamp } from '../../lib/format';
import { TokenLabelsForm } from './TokenLabelsForm';
import { ACTION_LABELS, actionBlockedReason, type OnTokenAction, type TokenAction } from './token-actions';
import { STATUS_DESCRIPTIONS } from './token-query';

interface Props {
  readonly token: TokenView;
  readonly pending: TokenAction | null;
  readonly onAction: OnTokenAction;
  readonly onClose: () => void;
  /** The token source it lives in (docs/sources.md); absent while only this computer's store is listed. */
  readonly sourceName?: string | undefined;
}

const BUSY: Partial<Record<TokenAction, string>> = {
  test: 'Calling Zoho CRM…',
  refresh: 'Refreshing…',
  copy: 'Copying…',
};

/** The name in the panel's heading is cut here (with "Show all"), so the actions stay in view. */
const TITLE_MAX = 120;
const TEXT_MAX = 300;

/** Two values from Zoho (what a CRM user typed, e.g. name and email), each shown safely, joined by a dot. */
function SafePair({ first, second }: { first: string | null; second: string | null }) {
  const one = first !== null && first !== '' ? <SafeText value={first} max={TEXT_MAX} expandable /> : null;
  const two = second !== null && second !== '' ? <SafeText value={second} max={TEXT_MAX} expandable /> : null;
  if (!one && !two) return <>—</>;
  return (
    <>
      {one}
      {one && two && ' · '}
      {two}
    </>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Everything known about one token, and its actions as plain buttons. */
export function TokenDetails({ token, pending, onAction, onClose, sourceName }: Props) {
  const now = useNow();
  const dc = token.dataCenter ? DATA_CENTERS[token.dataCenter] : null;
  const t = token.lastTest;
  const idBase = useId();
  // Why an action is off, as visible text under the buttons (a hover title reaches neither the keyboard
  // nor a screen reader); one line per distinct reason, each button described by its own.
  const reasons: string[] = [];
  const reasonId = (action: TokenAction): string | undefined => {
    const blocked = actionBlockedReason(action, token);
    if (blocked === null) return undefined;
    if (!reasons.includes(blocked)) reasons.push(blocked);
    return `${idBase}-why-${reasons.indexOf(blocked)}`;
  };
  const button = (action: TokenAction, kind = '') => {
    const why = reasonId(action);
    return (
      <button
        type="button"
        className={`btn ${kind}`}
        disabled={why !== undefined || pending !== null}
        aria-describedby={why}
        onClick={() => onAction(action, token)}
        data-testid={`details-${action}`}
      >
        {pending === action ? <Spinner label={BUSY[action] ?? 'Working…'} /> : ACTION_LABELS[action]}
      </button>
    );
  };

  return (
    <aside className="details" aria-labelledby="details-title" data-testid="token-details">
      <header className="details__head">
        <div>
          <h2 id="details-title" className="details__title">
            {token.userName !== null ? (
              <SafeText value={token.userName} max={TITLE_MAX} expandable testId="details-user" />
            ) : (
              'Unknown user'
            )}
          </h2>
          <LiveStatusBadge token={token} />
        </div>
        <button type="button" className="btn btn--icon" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="details__status">
        {STATUS_DESCRIPTIONS[liveTokenStatus(token.status, token.expiresAt, now)]}
      </p>
      <div className="details__actions" aria-live="polite">
        {button('test', 'btn--primary')}
        {button('refresh')}
        {button('copy')}
        {button('reauthorise')}
        {button('delete', 'btn--danger-ghost')}
      </div>
      {reasons.length > 0 && (
        <div className="details__blocked" data-testid="details-blocked">
          {reasons.map((reason, i) => (
            <p key={reason} id={`${idBase}-why-${i}`} className="muted">
              {reason}
            </p>
          ))}
        </div>
      )}
      {token.lastError && (
        <p className="inline-error" role="note">
          <strong>Last error: </strong>
          <SafeText value={token.lastError} max={TEXT_MAX} expandable />
        </p>
      )}
      <TokenLabelsForm key={token.id} token={token} />
      <dl className="props">
        <Item term="Access token expires">
          <Countdown
            expiresAt={token.expiresAt}
            rejectedByZoho={token.status === 'reauth'}
            demoRunEnded={token.status === 'demo-ended'}
          />
        </Item>
        <Item term="Data center">
          {dc ? `${dc.id} · ${dc.label} · ${token.environment ?? 'unknown'}` : 'Unknown'}
        </Item>
        <Item term="API domain">
          <span className="mono">
            {token.apiDomain === null ? '—' : <SafeText value={token.apiDomain} max={TEXT_MAX} />}
          </span>
        </Item>
        <Item term="Client ID">
          <span className="mono wrap">
            {token.clientId === null ? '—' : <SafeText value={token.clientId} max={TEXT_MAX} expandable />}
          </span>
        </Item>
        <Item term="CRM organisation">
          {token.orgName === null ? (
            <span className="muted">Not known yet (a CRM test finds it)</span>
          ) : (
            <SafeText value={token.orgName} max={TEXT_MAX} expandable />
          )}
        </Item>
        <Item term="Scopes">
          {token.scopes.length ? (
            <ul className="scopes">
              {token.scopes.map((s) => (
                <li key={s}>
                  <SafeText value={s} max={TEXT_MAX} />
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">Not recorded</span>
          )}
        </Item>
        <Item term="Access token">
          <span className="mono">{token.accessTokenPreview ?? '—'}</span>
        </Item>
        <Item term="Refresh token">
          <span className="mono">{token.refreshTokenPreview ?? '—'}</span>
        </Item>
        <Item term="Last refreshed">
          <RelativeTime at={token.lastRefreshedAt} />
        </Item>
        <Item term="Added">{token.createdAt ? formatTimestamp(token.createdAt) : '—'}</Item>
        <Item term="Token ID">
          <span className="mono">{token.id}</span>
        </Item>
        {sourceName !== undefined && (
          <Item term="Source">
            <SafeText value={sourceName} max={TEXT_MAX} />
          </Item>
        )}
      </dl>
      <section className="details__test" aria-labelledby="last-test-title" data-testid="details-last-test">
        <h3 id="last-test-title">Last CRM test</h3>
        {!t ? (
          <p className="muted">
            Not tested yet. “{ACTION_LABELS.test}” calls Zoho’s CurrentUser and org endpoints.
          </p>
        ) : (
          <dl className="props">
            <Item term="Result">
              <span className={t.ok ? 'test test--ok' : 'test test--fail'}>
                {t.ok ? '✓ Passed' : '✕ Failed'}
              </span>{' '}
              <RelativeTime at={t.at} />
            </Item>
            <Item term="HTTP status">{t.httpStatus ?? 'No answer'}</Item>
            <Item term="Latency">{formatLatency(t.latencyMs)}</Item>
            <Item term="User">
              <SafePair first={t.userName} second={t.userEmail} />
            </Item>
            <Item term="Organisation">
              <SafePair first={t.orgName} second={t.orgId} />
            </Item>
            <Item term="Refreshed first">{t.refreshed ? 'Yes, the access token was refreshed' : 'No'}</Item>
            {!t.ok && (
              <Item term="Error">
                <SafeText
                  value={[t.errorCode, t.message].filter(Boolean).join(': ')}
                  max={TEXT_MAX}
                  expandable
                />
              </Item>
            )}
          </dl>
        )}
      </section>
    </aside>
  );
}
