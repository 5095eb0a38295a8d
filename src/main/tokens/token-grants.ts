import type { RevokeOutcome } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import { errorCodeOf, safeMessageOf } from '../errors';
import { createLogger } from '../log';
import type { GrantedToken } from '../oauth/granted-token';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { ServiceError } from './errors';
import type { HeldRevoke } from './pending-revokes';
import type { ServiceContext } from './service-context';
import { collect, sideWrite } from './side-write';
import { revokeAtZoho } from './token-removal';
import { consoleUserName } from './user-name';
import { describeWriteFailure } from './write-failure';

const log = createLogger('service.grants');

/** How a token came in: a sign-in (browser or Self Client) or an imported refresh token. */
export type GrantSource = 'grant' | 'import';

/** How a token is being obtained: names the audit row of a failure. */
export type GrantMethod = 'browser' | 'self-client' | 'import';

const METHOD_WORDS: Record<GrantMethod | 'reauthorise', string> = {
  browser: 'Browser sign-in',
  'self-client': 'Self Client grant code exchange',
  import: 'Refresh token import',
  reauthorise: 'Re-authorisation in the browser',
};

/**
 * Audits a sign-in, code exchange, import or re-authorisation that did not finish (docs/architecture.md "Token
 * rules": every grant and import writes a row, a failed one too): `grant` or `import`, outcome failure,
 * the error code and its shown message (AppError messages hold no secret; anything else gets generic
 * words). A cancelled sign-in says so. Never throws: a failed audit write must not hide the sign-in's
 * own error.
 */
export function recordGrantFailure(
  ctx: ServiceContext,
  method: GrantMethod | 'reauthorise',
  error: unknown,
  token: { readonly tokenId?: string | null; readonly userName?: string | null } = {},
): void {
  const code = errorCodeOf(error) ?? 'UNEXPECTED';
  const cancelled = code === 'CANCELLED' || (error instanceof Error && error.name === 'AbortError');
  const what = METHOD_WORDS[method];
  try {
    ctx.audit.record({
      action: method === 'import' ? 'import' : 'grant',
      outcome: 'failure',
      tokenId: token.tokenId ?? null,
      userName: token.userName ?? null,
      detail: cancelled
        ? `${what} cancelled; nothing was saved.`
        : `${what} failed (${code}): ${safeMessageOf(error, 'an unexpected error; see the app log.')} Nothing was saved.`,
    });
  } catch (auditError) {
    log.warn('Could not audit a failed sign-in', { errorCode: errorCodeOf(auditError) });
  }
}

/** A saved sign-in, and what became of the token it replaced (null when it replaced none). */
export interface GrantOutcome {
  readonly token: OAuthToken;
  readonly replaced: { readonly revoke: RevokeOutcome; readonly pendingRevoke: boolean } | null;
  /** Side-writes (audit, notes) that failed; the sign-in itself was saved. */
  readonly warnings: string[];
}

/** The reason a replaced token waits for its revoke, and how its audit row reads. */
export const REPLACED_BY_SIGN_IN = 'replaced by a new sign-in';

/**
 * Runs `obtain` (a browser sign-in, a Self Client code exchange or a refresh-token import) and saves
 * what it got (`saveGranted`); if either fails, the failure is audited, then rethrown.
 */
export async function obtainAndSave(
  ctx: ServiceContext,
  method: GrantMethod,
  obtain: () => Promise<GrantedToken>,
): Promise<GrantOutcome> {
  try {
    return await saveGranted(ctx, await obtain(), method === 'import' ? 'import' : 'grant');
  } catch (error) {
    recordGrantFailure(ctx, method, error);
    throw error;
  }
}

/**
 * Revokes the refresh token a save just replaced, which no row holds any more. It was kept as a pending
 * revoke (`held`) before the save, so a failure (or a crash right here) leaves it to the retries, never
 * forgotten.
 */
async function revokeReplaced(
  ctx: ServiceContext,
  previous: OAuthToken,
  held: HeldRevoke,
  why: string,
  warnings: string[],
): Promise<NonNullable<GrantOutcome['replaced']>> {
  const revoke = await revokeAtZoho(
    ctx,
    { id: previous.id ?? '', userName: previous.userName, token: previous },
    warnings,
    `Old refresh token ${why}: `,
  );
  ctx.pending.settle(held.id, revoke);
  const pendingRevoke = revoke.state === 'failed';
  if (pendingRevoke && !held.onDisk) {
    warnings.push(
      `the replaced refresh token could not be saved as a pending revoke (${held.diskProblem}): TokenDesk keeps it in memory and retries while it runs`,
    );
  }
  return { revoke, pendingRevoke };
}

/**
 * A token Zoho issued but that this computer could not save: it is live at Zoho and held nowhere, so
 * it is revoked at once (kept as a pending revoke if that fails too). Returns the error that says so.
 */
async function refuseUnsaved(ctx: ServiceContext, token: OAuthToken, error: unknown): Promise<ServiceError> {
  const why = describeWriteFailure(error);
  const who = consoleUserName(token.userName) ?? 'this user';
  const fix = 'Free some disk space, or close the program that holds the database, then sign in again.';
  if (!token.refreshToken) {
    return new ServiceError(
      'SAVE_FAILED',
      `Zoho issued a token for ${who}, but it could not be saved on this computer: ${why}. Nothing was saved.`,
      { hint: fix },
    );
  }
  const held = ctx.pending.hold(token, 'signed in, but the new token could not be saved');
  const revoke = await revokeAtZoho(
    ctx,
    { id: '', userName: token.userName, token },
    [],
    'New token that could not be saved: ',
  );
  ctx.pending.settle(held.id, revoke);
  if (revoke.state !== 'failed') {
    return new ServiceError(
      'SAVE_FAILED',
      `Zoho issued a token for ${who}, but it could not be saved on this computer: ${why}. The new token was revoked at Zoho, so nothing is left live. Nothing was saved.`,
      { hint: fix },
    );
  }
  const where = held.onDisk ? 'as a pending revoke' : 'in memory (the database refused it too)';
  return new ServiceError(
    'SAVE_FAILED',
    `Zoho issued a token for ${who}, but it could not be saved on this computer: ${why}. Revoking it at Zoho failed as well (${revoke.message}) TokenDesk keeps it ${where} and retries the revoke until Zoho confirms it dead.`,
    { hint: fix },
  );
}

async function findSameAccount(ctx: ServiceContext, incoming: OAuthToken): Promise<OAuthToken | null> {
  return incoming.userName
    ? ctx.store.findToken(
        emptyToken({
          userName: incoming.userName,
          clientId: incoming.clientId,
          dataCenter: incoming.dataCenter,
          environment: incoming.environment,
        }),
      )
    : null;
}

/**
 * Saves a sign-in's token: an existing row for the same user, client, data center and environment is
 * updated in place (same id), under that row's lock; if that replaces a refresh token, the old one is
 * kept as a pending revoke before the save and revoked at Zoho after it, since nothing would use it
 * again and Zoho keeps at most 20 per user. A save that fails revokes the new token (`refuseUnsaved`).
 */
export async function saveGranted(
  ctx: ServiceContext,
  granted: GrantedToken,
  source: GrantSource,
): Promise<GrantOutcome> {
  const t = granted.token;
  // Two sign-ins of one account at once would each find "no row" (or the same row) and the second save
  // would overwrite the first's token unheld: one at a time per account, then per row.
  const account = `account:${JSON.stringify([t.userName, t.clientId, t.dataCenter, t.environment])}`;
  return ctx.locks.run(account, async () => {
    const first = await findSameAccount(ctx, t);
    if (!first?.id) return saveGrantedAs(ctx, t, null, source);
    return ctx.locks.run(first.id, async () => saveGrantedAs(ctx, t, await findSameAccount(ctx, t), source));
  });
}

async function saveGrantedAs(
  ctx: ServiceContext,
  incoming: OAuthToken,
  existing: OAuthToken | null,
  source: GrantSource,
): Promise<GrantOutcome> {
  const toSave: OAuthToken = {
    ...incoming,
    id: existing?.id ?? null,
    lastRefreshedAt: ctx.clock.now(),
    lastError: null,
  };
  return writeGrant(ctx, {
    toSave,
    previous: existing,
    incoming,
    replacedBecause: REPLACED_BY_SIGN_IN,
    audit: (id) => ({
      action: source,
      outcome: 'success',
      tokenId: id,
      userName: incoming.userName,
      detail: `${source === 'import' ? 'Refresh token imported' : 'Signed in'} for ${incoming.dataCenter ?? '?'} ${
        incoming.environment ?? '?'
      }${existing ? `; the stored token for the same user and client was ${REPLACED_BY_SIGN_IN}` : ''}.`,
    }),
    changed: source,
  });
}

interface GrantWrite {
  /** The row as it is saved (id null for a new one). */
  readonly toSave: OAuthToken;
  /** The stored token it overwrites: a refresh token it holds and `toSave` does not is revoked after. */
  readonly previous: OAuthToken | null;
  /** What Zoho issued: revoked again if the save fails (`refuseUnsaved`). */
  readonly incoming: OAuthToken;
  /** Why the replaced refresh token waits for its revoke (the pending revoke's reason). */
  readonly replacedBecause: string;
  readonly audit: (id: string) => AuditRecord;
  /** The `tokens.changed` reason. */
  readonly changed: string;
}

/**
 * The save both a sign-in and a re-authorisation end with: the refresh token it replaces is held as a
 * pending revoke before the save (docs/architecture.md "Failure rules") and revoked at Zoho after it;
 * the token's re-authorise flag is cleared and the audit row written, their failures said as warnings.
 */
export async function writeGrant(ctx: ServiceContext, write: GrantWrite): Promise<GrantOutcome> {
  const { toSave, previous, replacedBecause } = write;
  const replacing = previous?.refreshToken && previous.refreshToken !== toSave.refreshToken ? previous : null;
  const held = replacing ? ctx.pending.hold(replacing, replacedBecause) : null;
  try {
    await ctx.store.saveToken(toSave);
  } catch (error) {
    // The old token is still in its row: it is not pending anything.
    if (held) ctx.pending.release(held.id);
    throw await refuseUnsaved(ctx, write.incoming, error);
  }
  const id = toSave.id ?? '';
  const warnings: string[] = [];
  collect(
    warnings,
    sideWrite("the token's notes", () => ctx.notes.setReauthRequired(id, false)),
  );
  collect(warnings, ctx.audit.record(write.audit(id)));
  const replaced =
    replacing && held ? await revokeReplaced(ctx, replacing, held, replacedBecause, warnings) : null;
  ctx.onChanged(write.changed);
  return { token: (await ctx.store.findTokenById(id)) ?? toSave, replaced, warnings };
}
