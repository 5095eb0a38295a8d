/**
 * Saves tokens into a team store as fast as it can and prints `saved <id> <n>` after each save returned,
 * until it is killed (team-crash.test.ts SIGKILLs it mid-burst). Member key and passphrase as in
 * team-member-process.ts.
 */
import { setLogSink } from '../../log';
import { emptyToken } from '../../store/oauth-token';
import { MemberKey } from '../member-key';
import { TeamTokenStore } from '../team-token-store';
import { testMemberProtector } from './pg-test-server';

setLogSink(() => {});
const env = (name: string) => process.env[name] ?? '';
const store = await TeamTokenStore.open({
  connectionString: env('TOKENDESK_TEST_PG_URL'),
  schema: env('TOKENDESK_TEAM_SCHEMA'),
  member: await MemberKey.unlock(
    env('TOKENDESK_TEAM_MEMBER_KEY'),
    testMemberProtector(env('TOKENDESK_TEAM_MEMBER_PASSPHRASE')),
  ),
});
for (let n = 0; ; n++) {
  const token = emptyToken({
    userName: `crash-${n}@example.com`,
    clientId: '1000.CLIENT',
    refreshToken: `1000.refresh-${n}`,
    accessToken: `1000.access-${n}`,
    dataCenter: 'US',
    environment: 'production',
  });
  await store.saveToken(token);
  process.stdout.write(`saved ${token.id} ${n}\n`);
}
