import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_SELF_CLIENT, DEMO_USERS, startZohoSimulator } from '../../../../sim';
import { emptyToken, type OAuthToken } from '../../store/oauth-token';
import { createAccountsClient, localEndpoints } from '../../zoho';
import { MemberKey } from '../member-key';
import { addMember } from '../team-members';
import { createTestTeamStore, testMemberProtector } from './pg-test-server';

const SCRIPTS = {
  service: fileURLToPath(new URL('./team-refresh-process.ts', import.meta.url)),
  sdk: fileURLToPath(new URL('./team-sdk-process.ts', import.meta.url)),
};
const FLEET_PASSPHRASE = 'fleet member passphrase';

export interface FleetOptions {
  /** `service`: TokenService callers (team-refresh-process.ts); `sdk`: the official SDK (team-sdk-process.ts). */
  readonly kind: 'service' | 'sdk';
  readonly processes: number;
  /** Concurrent callers per process (service fleets). */
  readonly callers?: number;
}

export interface FleetResult {
  /** Refresh requests the simulator received while every caller of every process ran. */
  readonly refreshRequests: number;
  /** Distinct access tokens the callers were given, across every process. */
  readonly accessTokens: readonly string[];
  readonly failures: readonly string[];
  /** The token as the team store holds it afterwards. */
  readonly stored: OAuthToken | null;
  /** The refresh audit rows in the team store (actor and outcome). */
  readonly refreshAudit: readonly { actor: string; outcome: string }[];
  /** What each process printed when done (its JSON line). */
  readonly outputs: readonly Record<string, unknown>[];
  /** The demo user's organisation, as the simulator's CRM names it. */
  readonly orgName: string;
}

/**
 * `processes` separate Node processes, each a member of one team store (one server member key, as an SDK
 * fleet would share), each running `callers` concurrent getValidAccessToken calls on one expired token,
 * all released at once. The Zoho simulator runs here and counts the refresh requests.
 */
export async function runRefreshFleet(url: string, options: FleetOptions): Promise<FleetResult> {
  const { processes, callers = 1 } = options;
  const sim = await startZohoSimulator();
  const team = await createTestTeamStore(url, 'admin console');
  const children: ChildProcessWithoutNullStreams[] = [];
  try {
    const server = MemberKey.generate('sdk fleet');
    const keyFile = JSON.stringify(await server.export(testMemberProtector(FLEET_PASSPHRASE)));
    await addMember(team.store, { publicKey: server.publicKeyText, name: 'sdk fleet', access: 'read-only' });

    const user = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
    const code = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      userEmail: user.email,
    });
    const endpoints = localEndpoints(sim.dataCenters);
    const grant = await createAccountsClient({ endpoints }).exchangeCode({
      accountsServer: code.accountsServer,
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      code: code.code,
    });
    const token = emptyToken({
      userName: user.email,
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      refreshToken: grant.refreshToken,
      accessToken: grant.accessToken,
      // Expired: every caller needs a refresh.
      expiryTime: String(Date.now() - 1_000),
      apiDomain: grant.apiDomain,
      dataCenter: code.dataCenter,
      environment: 'production',
    });
    await team.store.saveToken(token);
    // Counted from here: an SDK may already fetch its token while it initialises, before `go`.
    sim.resetStats();

    const dcs = sim.dataCenters.map(({ id, location, accountsUrl, apiDomain }) => ({
      id,
      location,
      accountsUrl,
      apiDomain,
    }));
    const outputs: Promise<string>[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < processes; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', SCRIPTS[options.kind]], {
        env: {
          ...process.env,
          TOKENDESK_TEST_PG_URL: url,
          TOKENDESK_TEAM_USER: user.email,
          TOKENDESK_TEAM_SCHEMA: team.schema,
          TOKENDESK_TEAM_MEMBER_KEY: keyFile,
          TOKENDESK_TEAM_MEMBER_PASSPHRASE: FLEET_PASSPHRASE,
          TOKENDESK_TEAM_SIM_DCS: JSON.stringify(dcs),
          TOKENDESK_TEAM_TOKEN_ID: token.id!,
          TOKENDESK_TEAM_CALLERS: String(callers),
        },
      });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`fleet process exited (${code}): ${stderr}`))),
      );
      const next = () => Promise.race([lines.next().then((r) => String(r.value)), exited]);
      const isReady = next().then((line) => {
        if (line !== 'ready') throw new Error(`fleet process said ${line}: ${stderr}`);
      });
      ready.push(isReady);
      outputs.push(isReady.then(next));
    }
    await Promise.all(ready);
    for (const child of children) child.stdin.write('go\n');
    const results = (await Promise.all(outputs)).map(
      (line) =>
        JSON.parse(line) as { accessTokens?: string[]; failures?: string[] } & Record<string, unknown>,
    );
    const refreshAudit = (await team.store.audit.list({ action: 'refresh' })).map((e) => ({
      actor: e.actor,
      outcome: e.outcome,
    }));
    return {
      refreshRequests: sim.stats.tokenRequests.refresh_token,
      accessTokens: [...new Set(results.flatMap((r) => r.accessTokens ?? []))],
      failures: results.flatMap((r) => r.failures ?? []),
      outputs: results,
      orgName: user.orgName,
      stored: await team.store.findTokenById(token.id!),
      refreshAudit,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await team.cleanup();
    await sim.close();
  }
}
