import { existsSync, readFileSync } from 'node:fs';
import {
  Environment,
  InitializeBuilder,
  OAuthBuilder,
  OAuthToken,
  Org,
  ParameterMap,
  SDKException,
  UserSignature,
  Users,
} from '@zohocrm/typescript-sdk-8.0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT, DEMO_USERS } from '../../../sim/demo-data';
import { simulatorEndpoints } from '../../../sim/endpoints';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { SessionAuditLog } from '../audit/session-audit-log';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import { exchangeSelfClientCode } from '../oauth/self-client';
import type { SqliteTokenStore } from '../store/sqlite-token-store';
import { openTempStore } from '../store/test-support/temp-store';
import { SessionTokenNotes } from '../tokens/session-token-notes';
import { TokenService } from '../tokens/token-service';
import { connectZoho, createAccountsClient, createCrmClient, zohoFor } from '../zoho';
import { ZohoSdkTokenStore } from './zoho-sdk-token-store';

/**
 * The official Zoho CRM TypeScript SDK 8.0, unmodified, keeping its tokens in TokenDesk's encrypted
 * SQLite store through the adapter, against the Zoho simulator.
 */
const US_USER = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
const SCOPES = 'ZohoCRM.users.READ,ZohoCRM.org.READ';

let sim: ZohoSimulator;
let store: SqliteTokenStore;
let dbPath: string;
let dir: string;
let cleanup: () => void;
let sdkEnvironment: Environment;

function sdkStore(dataCenter: 'US' | 'EU' = 'US') {
  return new ZohoSdkTokenStore(store, {
    dataCenter,
    environment: 'production',
    sdk: { OAuthToken, UserSignature, SDKException },
    placeOfApiDomain: (apiDomain) => simulatorEndpoints(sim).placeOfApiDomain(apiDomain),
  });
}

async function initialise(
  token: OAuthToken,
  environment = sdkEnvironment,
  dataCenter: 'US' | 'EU' = 'US',
): Promise<void> {
  await new InitializeBuilder()
    .environment(environment)
    .token(token)
    .store(sdkStore(dataCenter))
    .resourcePath(dir)
    .initialize();
}

async function companyName(): Promise<string | null> {
  const response = await new Org.OrgOperations().getOrganization();
  expect(response.getStatusCode()).toBe(200);
  const body = response.getObject();
  if (!(body instanceof Org.ResponseWrapper)) throw new Error('unexpected org response');
  return body.getOrg()?.[0]?.getCompanyName() ?? null;
}

/** Every byte SQLite wrote for this store: the database file, its WAL and journal. */
function storeBytes(): string {
  return ['', '-wal', '-shm', '-journal']
    .map((suffix) => `${dbPath}${suffix}`)
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('\n');
}

beforeAll(async () => {
  sim = await startZohoSimulator();
  ({ store, path: dbPath, dir, cleanup } = await openTempStore());
  const us = sim.dataCenter('US');
  // The SDK's Environment takes any URLs: API base, token endpoint, file-upload base.
  sdkEnvironment = new Environment(us.apiDomain, `${us.accountsUrl}/oauth/v2/token`, us.apiDomain);
});

afterAll(async () => {
  store?.close();
  cleanup?.();
  await sim?.close();
});

describe('ZohoSdkTokenStore with the official SDK', () => {
  it('stores the SDK token encrypted, serves CRM calls, and refreshes through the store', async () => {
    const grant = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: US_USER.email,
    });

    // 1. First start: the SDK exchanges the Self Client grant code, asks CRM who the user is, saves.
    await initialise(
      new OAuthBuilder()
        .clientId(DEMO_SELF_CLIENT.clientId)
        .clientSecret(DEMO_SELF_CLIENT.clientSecret)
        .grantToken(grant.code)
        .build(),
    );
    expect(sim.stats.tokenRequests.authorization_code).toBe(1);
    const [saved, ...others] = await store.getTokens();
    expect(others).toHaveLength(0);
    // SDK 8.0 (3.0.0) names the user `<email>:<org id>` (CurrentUser email, then the org call); stored as is.
    expect(saved?.userName).toMatch(new RegExp(`^${US_USER.email.replace(/[.]/g, '\\.')}:[0-9]+$`));
    expect(saved).toMatchObject({
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      dataCenter: 'US',
      environment: 'production',
      apiDomain: sim.dataCenter('US').apiDomain,
    });
    expect(saved?.refreshToken).toMatch(/^1000\./);
    expect(saved?.accessToken).toMatch(/^1000\./);
    expect(Number(saved?.expiryTime)).toBeGreaterThan(Date.now() + 60_000);

    // 2. A CRM call through the SDK goes to /crm/v8/org on the simulator with that access token.
    const crmBefore = sim.stats.crmRequests;
    expect(await companyName()).toBe(US_USER.orgName);
    const params = new ParameterMap();
    await params.add(Users.GetUsersParam.TYPE, 'CurrentUser');
    const users = await new Users.UsersOperations().getUsers(params);
    expect(users.getStatusCode()).toBe(200);
    const usersBody = users.getObject();
    if (!(usersBody instanceof Users.ResponseWrapper)) throw new Error('unexpected users response');
    expect(usersBody.getUsers()[0]?.getEmail()).toBe(US_USER.email);
    expect(sim.stats.crmRequests).toBe(crmBefore + 2);
    expect(sim.stats.tokenRequests.refresh_token).toBe(0);

    // 3. At rest: no secret in the database file or its WAL.
    const bytes = storeBytes();
    for (const secret of [saved!.refreshToken!, saved!.accessToken!, saved!.clientSecret!, grant.code]) {
      expect(bytes.includes(secret)).toBe(false);
    }

    // 4. An hour later (the stored access token has expired), the app starts again knowing only the
    //    user: the SDK finds the token through the adapter, refreshes it, and saves it back.
    await store.saveToken({ ...saved!, expiryTime: String(Date.now() - 60_000) });
    await initialise(new OAuthBuilder().userSignature(new UserSignature(saved!.userName!)).build());
    expect(sim.stats.tokenRequests.refresh_token).toBe(1);
    const [refreshed, ...more] = await store.getTokens();
    expect(more).toHaveLength(0);
    expect(refreshed?.id).toBe(saved?.id);
    expect(refreshed?.refreshToken).toBe(saved?.refreshToken);
    expect(refreshed?.accessToken).not.toBe(saved?.accessToken);
    expect(Number(refreshed?.expiryTime)).toBeGreaterThan(Date.now() + 60_000);
    expect(await companyName()).toBe(US_USER.orgName);
    expect(sim.stats.tokenRequests.refresh_token).toBe(1);

    // 5. TokenDesk's console lists the SDK's token: the user's email (not the SDK's `<email>:<org id>`),
    //    the refreshed expiry, the data center; the stored name stays as the SDK wrote it.
    const service = new TokenService({
      store,
      zoho: zohoFor(() => {
        throw new Error('listing makes no Zoho call');
      }),
      audit: new SessionAuditLog(),
      notes: new SessionTokenNotes(),
      clipboard: new MemoryClipboard(),
    });
    const [view, ...moreViews] = await service.list();
    expect(moreViews).toHaveLength(0);
    expect(view).toMatchObject({
      id: saved?.id,
      userName: US_USER.email,
      dataCenter: 'US',
      environment: 'production',
      apiDomain: sim.dataCenter('US').apiDomain,
      expiresAt: Number(refreshed?.expiryTime),
      status: 'valid',
    });
    expect((await store.findTokenById(saved!.id!))?.userName).toBe(saved?.userName);
  });
});

describe('ZohoSdkTokenStore: what the SDK gets back', () => {
  it('an unknown id fails with "Given ID is invalid" and nothing is sent to Zoho', async () => {
    sim.resetStats();
    // The SDK looks the token up while initialising (and again before each call).
    const err = await initialise(new OAuthBuilder().id('999999').build())
      .then(() => new Org.OrgOperations().getOrganization())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SDKException);
    expect(String((err as Error).message)).toMatch(/Given ID is invalid/);
    expect(sim.stats.tokenRequests).toEqual({ authorization_code: 0, refresh_token: 0, other: 0 });
    expect(sim.stats.crmRequests).toBe(0);
  });

  it('a token the SDK gets in EU is labelled EU, though the adapter was set up for US', async () => {
    const eu = sim.dataCenter('EU');
    const euUser = DEMO_USERS.find((u) => u.dataCenter === 'EU')!;
    const grant = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: euUser.email,
    });
    await initialise(
      new OAuthBuilder()
        .clientId(DEMO_SELF_CLIENT.clientId)
        .clientSecret(DEMO_SELF_CLIENT.clientSecret)
        .grantToken(grant.code)
        .build(),
      new Environment(eu.apiDomain, `${eu.accountsUrl}/oauth/v2/token`, eu.apiDomain),
    );
    const saved = (await store.getTokens()).find((t) => t.userName?.startsWith(euUser.email));
    expect(saved).toMatchObject({ dataCenter: 'EU', environment: 'production', apiDomain: eu.apiDomain });
    expect(sim.isRefreshTokenActive(saved?.refreshToken ?? '')).toBe(true);
  });
});

describe('one user-name rule with the SDK', () => {
  it("TokenDesk stores the SDK's name; the SDK, knowing only the email, uses that token", async () => {
    const euUser = DEMO_USERS.find((u) => u.dataCenter === 'EU')!;
    for (const t of await store.getTokens()) await store.deleteToken(t.id ?? '');
    const grant = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: euUser.email,
    });
    const endpoints = simulatorEndpoints(sim);
    const granted = await exchangeSelfClientCode({
      zoho: connectZoho({ endpoints }),
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      dataCenter: 'EU',
      environment: 'production',
      grantCode: grant.code,
    });
    const service = new TokenService({
      store,
      zoho: zohoFor(() => ({
        endpoints,
        accounts: createAccountsClient({ endpoints }),
        crm: createCrmClient({ endpoints }),
      })),
      audit: new SessionAuditLog(),
      notes: new SessionTokenNotes(),
      clipboard: new MemoryClipboard(),
    });
    const view = await service.saveGranted(granted);
    // The name the SDK itself would give this user (its Utility.getUserName: CurrentUser email + org zgid).
    const eu = sim.dataCenter('EU');
    const org = (await (
      await fetch(`${eu.apiDomain}/crm/v8/org`, {
        headers: { authorization: `Zoho-oauthtoken ${granted.token.accessToken}` },
      })
    ).json()) as { org: { zgid: string }[] };
    const sdkName = `${euUser.email}:${org.org[0]?.zgid}`;
    expect((await store.findTokenById(view.id))?.userName).toBe(sdkName);
    expect(view.userName).toBe(euUser.email);

    sim.resetStats();
    await initialise(
      new OAuthBuilder().userSignature(new UserSignature(euUser.email)).build(),
      new Environment(eu.apiDomain, `${eu.accountsUrl}/oauth/v2/token`, eu.apiDomain),
      'EU',
    );
    expect(await companyName()).toBe(euUser.orgName);
    // No new grant, no refresh: the SDK used TokenDesk's token, and the store still has one row for them.
    expect(sim.stats.tokenRequests).toEqual({ authorization_code: 0, refresh_token: 0, other: 0 });
    const rows = await store.getTokens();
    expect(rows.map((r) => [r.id, r.userName])).toEqual([[view.id, sdkName]]);
  });
});
