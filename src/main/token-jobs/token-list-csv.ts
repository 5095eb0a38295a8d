import type { TokenView } from '../../shared/ipc/views';
import { toCsv } from '../common/csv';
import { consoleUserName } from '../tokens/user-name';

const HEADER = [
  'user',
  'data_center',
  'environment',
  'client_id',
  'status',
  'access_token_expires_at',
  'last_refreshed_at',
  'last_test',
  'last_test_at',
  'last_error',
  'token_id',
] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The token list as CSV for a spreadsheet or a ticket (docs/health.md "Export"): who, where, status and
 * the last test. No secret and no masked preview of one: the list says which tokens exist, not their
 * values. Cells go through toCsv's formula guard (user names and errors come from outside).
 */
export function tokenListCsv(views: readonly TokenView[]): string {
  return toCsv(
    HEADER,
    views.map((v) => [
      consoleUserName(v.userName),
      v.dataCenter,
      v.environment,
      v.clientId,
      v.status,
      iso(v.expiresAt),
      iso(v.lastRefreshedAt),
      v.lastTest === null ? null : v.lastTest.ok ? 'passed' : `failed: ${v.lastTest.errorCode ?? 'error'}`,
      iso(v.lastTest?.at ?? null),
      v.lastError,
      v.id,
    ]),
  );
}
