import { useCallback, useMemo, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { toUserError } from '../../api/client';
import { knownHint } from '../../api/error-messages';
import { useIpcMutation } from '../../api/hooks';
import { useToast } from '../../components/Toasts';
import { describeExpiry, formatLatency } from '../../lib/format';
import { withWarnings } from './revoke-outcome';
import type { TokenAction } from './token-actions';
import { sourceRequest, tokenKey } from './token-sources';

function who(token: TokenView): string {
  return token.userName ?? `token ${token.id}`;
}

/**
 * The quick actions (test, refresh, copy) on the row's own source, with their toasts, plus which token
 * (by tokenKey) is busy with what so the
 * table and panel can disable buttons and say "Testing…". Dialog actions (delete, re-authorise) live in
 * their own dialogs.
 */
export function useTokenActions() {
  const toast = useToast();
  const test = useIpcMutation('testToken');
  const refresh = useIpcMutation('refreshToken');
  const copy = useIpcMutation('copyAccessToken');
  const [pending, setPending] = useState<ReadonlyMap<string, TokenAction>>(new Map());

  const track = useCallback(async (id: string, action: TokenAction, run: () => Promise<void>) => {
    setPending((m) => new Map(m).set(id, action));
    try {
      await run();
    } finally {
      setPending((m) => {
        const next = new Map(m);
        next.delete(id);
        return next;
      });
    }
  }, []);

  const fail = useCallback(
    (title: string, error: unknown) => {
      const e = toUserError(error);
      toast({ tone: 'error', title, description: e.message, hint: e.hint });
    },
    [toast],
  );

  const runTest = useCallback(
    (token: TokenView) =>
      track(tokenKey(token), 'test', async () => {
        try {
          const r = await test.mutateAsync({ id: token.id, ...sourceRequest(token) });
          const parts = [
            r.httpStatus === null ? 'No HTTP answer' : `HTTP ${r.httpStatus}`,
            formatLatency(r.latencyMs),
            r.userEmail,
            r.orgName ? `org ${r.orgName}` : null,
            // Only a call that worked can say no refresh was needed; a failed one says nothing about it.
            r.refreshed ? 'access token refreshed first' : r.ok ? 'no refresh needed' : null,
          ].filter(Boolean);
          toast(
            r.ok
              ? {
                  tone: 'success',
                  title: `CRM call worked for ${who(token)}`,
                  description: parts.join(' · '),
                }
              : {
                  tone: 'error',
                  title: `CRM call failed for ${who(token)}`,
                  description: [r.message ?? r.errorCode ?? 'The call did not succeed.', ...parts].join(
                    ' · ',
                  ),
                  hint: r.errorCode ? knownHint(r.errorCode) : null,
                },
          );
        } catch (error) {
          fail(`Could not test ${who(token)}`, error);
        }
      }),
    [track, test, toast, fail],
  );

  const runRefresh = useCallback(
    (token: TokenView) =>
      track(tokenKey(token), 'refresh', async () => {
        try {
          const t = await refresh.mutateAsync({ id: token.id, ...sourceRequest(token) });
          toast({
            tone: 'success',
            title: `Refreshed ${who(token)}`,
            description: `New access token ${describeExpiry(t.expiresAt, Date.now())}.`,
          });
        } catch (error) {
          fail(`Could not refresh ${who(token)}`, error);
        }
      }),
    [track, refresh, toast, fail],
  );

  const runCopy = useCallback(
    (token: TokenView) =>
      track(tokenKey(token), 'copy', async () => {
        try {
          const r = await copy.mutateAsync({ id: token.id, ...sourceRequest(token) });
          // On the clipboard either way; a failed audit write is said beside that, never instead.
          const audited = !r.warnings || r.warnings.length === 0;
          toast({
            tone: audited ? 'success' : 'error',
            // Two different clocks, each named: the clipboard's 60 s and the token's own expiry.
            title: `Access token copied for ${who(token)}`,
            description: withWarnings(
              `The clipboard is cleared in 60 s. The token itself ${describeExpiry(r.expiresAt, Date.now())}.${
                audited ? ' The copy is recorded in the audit log.' : ''
              }`,
              r.warnings,
            ),
          });
        } catch (error) {
          fail('Could not copy the access token', error);
        }
      }),
    [track, copy, toast, fail],
  );

  return useMemo(
    () => ({ pending, test: runTest, refresh: runRefresh, copy: runCopy }),
    [pending, runTest, runRefresh, runCopy],
  );
}
