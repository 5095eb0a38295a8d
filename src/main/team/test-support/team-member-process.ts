/**
 * A team member in its own process, for tests that need two members (or several servers) at once. It
 * opens the team store with the member key in TOKENDESK_TEAM_MEMBER_KEY (a member key file's JSON) and
 * the passphrase in TOKENDESK_TEAM_MEMBER_PASSPHRASE, then answers one JSON command per stdin line with
 * one JSON line on stdout: `{"ok":true,"result":...}` or `{"ok":false,"code":...,"message":...}`.
 */
import { createInterface } from 'node:readline';
import { setLogSink } from '../../log';
import { emptyToken, type OAuthToken } from '../../store/oauth-token';
import { MemberKey } from '../member-key';
import { TeamTokenStore } from '../team-token-store';
import { testMemberProtector } from './pg-test-server';

type Command =
  | { cmd: 'open' }
  | { cmd: 'list' }
  | { cmd: 'save'; token: Partial<OAuthToken> }
  | { cmd: 'find'; id: string }
  | { cmd: 'close' };

setLogSink(() => {});
let store: TeamTokenStore | null = null;

async function run(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'open': {
      const member = await MemberKey.unlock(
        process.env.TOKENDESK_TEAM_MEMBER_KEY ?? '',
        testMemberProtector(process.env.TOKENDESK_TEAM_MEMBER_PASSPHRASE),
      );
      store = await TeamTokenStore.open({
        connectionString: process.env.TOKENDESK_TEST_PG_URL ?? '',
        schema: process.env.TOKENDESK_TEAM_SCHEMA ?? '',
        member,
        retryForMs: 2_000,
      });
      return { access: store.access, fingerprint: store.member.fingerprint };
    }
    case 'list':
      return (await requireStore().listEntries()).map((e) =>
        e.ok
          ? { ok: true, id: e.token.id, userName: e.token.userName, accessToken: e.token.accessToken }
          : { ok: false, id: e.id },
      );
    case 'save': {
      const token = emptyToken(command.token);
      await requireStore().saveToken(token);
      return { id: token.id };
    }
    case 'find': {
      const token = await requireStore().findTokenById(command.id);
      return token && { id: token.id, userName: token.userName, accessToken: token.accessToken };
    }
    case 'close':
      await store?.close();
      store = null;
      return null;
  }
}

function requireStore(): TeamTokenStore {
  if (!store) throw new Error('open first');
  return store;
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      const result = await run(JSON.parse(line) as Command);
      process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      process.stdout.write(`${JSON.stringify({ ok: false, code: e.code ?? null, message: e.message })}\n`);
    }
  });
});
lines.on('close', () => {
  void queue.then(() => store?.close());
});
