/**
 * One SDK server process over the team store: the unmodified official SDK, initialised with only a user
 * name (on `go`), its tokens in the team store through openTeamSdkTokenStore (member key and passphrase from the
 * environment, as on a real server), pointed at the Zoho simulator (TOKENDESK_TEAM_SIM_DCS). Prints
 * `ready`; on `go`, makes one CRM call and prints `{"status":...,"company":...}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  Environment,
  InitializeBuilder,
  OAuthBuilder,
  OAuthToken,
  Org,
  SDKException,
  UserSignature,
} from '@zohocrm/typescript-sdk-8.0';
import { setLogSink } from '../../log';
import { type LocalDataCenter, localEndpoints } from '../../zoho';
import { openTeamSdkTokenStore } from '../team-sdk';

setLogSink(() => {});
const env = (name: string) => process.env[name] ?? '';
const dcs = JSON.parse(env('TOKENDESK_TEAM_SIM_DCS')) as LocalDataCenter[];
const us = dcs.find((dc) => dc.id === 'US')!;
const dir = mkdtempSync(join(tmpdir(), 'tokendesk-sdk-'));

const { sdkStore, close } = await openTeamSdkTokenStore({
  connectionString: env('TOKENDESK_TEST_PG_URL'),
  schema: env('TOKENDESK_TEAM_SCHEMA'),
  dataCenter: 'US',
  environment: 'production',
  sdk: { OAuthToken, UserSignature, SDKException },
  endpoints: localEndpoints(dcs),
});

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line !== 'go') continue;
  try {
    // Initialised on `go`: the SDK may fetch its token while it initialises, and every process should do
    // that at the same moment.
    await new InitializeBuilder()
      .environment(new Environment(us.apiDomain, `${us.accountsUrl}/oauth/v2/token`, us.apiDomain))
      .token(new OAuthBuilder().userSignature(new UserSignature(env('TOKENDESK_TEAM_USER'))).build())
      .store(sdkStore)
      .resourcePath(dir)
      .initialize();
    const response = await new Org.OrgOperations().getOrganization();
    const body = response.getObject();
    const company =
      body instanceof Org.ResponseWrapper ? (body.getOrg()?.[0]?.getCompanyName() ?? null) : null;
    process.stdout.write(`${JSON.stringify({ status: response.getStatusCode(), company })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ status: null, error: String(error) })}\n`);
  }
  break;
}
lines.close();
await close();
rmSync(dir, { recursive: true, force: true });
