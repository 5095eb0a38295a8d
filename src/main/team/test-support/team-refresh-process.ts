/**
 * One process of a fleet sharing a team store (tests and `npm run bench -- team`): opens the store with
 * the member key in TOKENDESK_TEAM_MEMBER_KEY, builds the console's TokenService over it against the
 * Zoho simulator whose data centers are in TOKENDESK_TEAM_SIM_DCS, prints `ready`, and on `go` (stdin)
 * runs TOKENDESK_TEAM_CALLERS concurrent getValidAccessToken calls for TOKENDESK_TEAM_TOKEN_ID. Prints one
 * JSON line: the access tokens the callers got (distinct values) and the failures, then exits.
 */
import { createInterface } from 'node:readline';
import { setLogSink } from '../../log';
import {
  createAccountsClient,
  createCrmClient,
  type LocalDataCenter,
  localEndpoints,
  zohoFor,
} from '../../zoho';
import { MemberKey } from '../member-key';
import { createTeamTokenService } from '../team-service';
import { TeamTokenStore } from '../team-token-store';
import { testMemberProtector } from './pg-test-server';

setLogSink(() => {});
const env = (name: string) => process.env[name] ?? '';

const member = await MemberKey.unlock(
  env('TOKENDESK_TEAM_MEMBER_KEY'),
  testMemberProtector(env('TOKENDESK_TEAM_MEMBER_PASSPHRASE')),
);
const store = await TeamTokenStore.open({
  connectionString: env('TOKENDESK_TEST_PG_URL'),
  schema: env('TOKENDESK_TEAM_SCHEMA'),
  member,
});
const endpoints = localEndpoints(JSON.parse(env('TOKENDESK_TEAM_SIM_DCS')) as LocalDataCenter[]);
const clients = {
  endpoints,
  accounts: createAccountsClient({ endpoints, timeoutMs: 10_000 }),
  crm: createCrmClient({ endpoints, timeoutMs: 10_000 }),
};
const { service, audit } = createTeamTokenService(store, { zoho: zohoFor(() => clients) });
const id = env('TOKENDESK_TEAM_TOKEN_ID');
const callers = Number(env('TOKENDESK_TEAM_CALLERS'));

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line !== 'go') continue;
  const results = await Promise.allSettled(
    Array.from({ length: callers }, () => service.getValidAccessToken(id)),
  );
  const accessTokens = new Set<string>();
  const failures: string[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') accessTokens.add(r.value.accessToken ?? '');
    else failures.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
  }
  await audit.flush();
  process.stdout.write(`${JSON.stringify({ accessTokens: [...accessTokens], failures })}\n`);
  break;
}
lines.close();
await store.close();
