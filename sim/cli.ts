/**
 * `npm run sim`: runs the Zoho simulator until Ctrl-C, for demo mode and manual testing.
 *
 *   --us-port <n>        US port (env ZOHO_SIM_US_PORT, default 18080)
 *   --eu-port <n>        EU port (env ZOHO_SIM_EU_PORT, default 18081)
 *   --redirect-uri <u>   extra redirect URI for the demo client, repeatable
 *                        (env ZOHO_SIM_REDIRECT_URIS, comma-separated)
 *   --token-lifetime <s> access-token lifetime in seconds (default 3600)
 *   --log-dir <dir>      where simulator.log goes (default: the app's log folder, <data folder>/logs)
 *
 * Each DC serves Zoho Accounts and the production CRM API on its port, and the sandbox and developer APIs
 * on free ports (printed). Press Enter for a new Self Client grant code.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../src/main/core/data-dir';
import { createLogger } from '../src/main/log';
import { logToFile } from '../src/main/log-file';
import { DEFAULT_REDIRECT_URI, DEMO_CLIENT, DEMO_SELF_CLIENT, DEMO_USERS } from './demo-data';
import { startZohoSimulator } from './simulator';

const { values } = parseArgs({
  options: {
    'us-port': { type: 'string' },
    'eu-port': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'token-lifetime': { type: 'string' },
    'log-dir': { type: 'string' },
  },
});

// Logged like the app: redacted lines on the console and in a rotating file beside the app's own log.
const fileLog = logToFile(values['log-dir'] ?? join(defaultDataDir(), 'logs'), { fileName: 'simulator.log' });
const log = createLogger('sim');

function port(flag: string | undefined, env: string | undefined, fallback: number): number {
  const n = Number(flag ?? env ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Invalid port: ${flag ?? env}`);
  return n;
}

function tokenLifetime(flag: string | undefined): number {
  const seconds = Number(flag ?? 3600);
  // NaN or 0 would make every access token dead on arrival, with no hint why.
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`Invalid --token-lifetime: ${flag}`);
  return seconds;
}

const extraRedirects = [
  ...(values['redirect-uri'] ?? []),
  ...(process.env.ZOHO_SIM_REDIRECT_URIS ?? '').split(',').map((s) => s.trim()),
].filter((s) => s.length > 0);
const redirectUris = [...new Set([DEFAULT_REDIRECT_URI, ...extraRedirects])];

const sim = await startZohoSimulator({
  ports: {
    US: port(values['us-port'], process.env.ZOHO_SIM_US_PORT, 18080),
    EU: port(values['eu-port'], process.env.ZOHO_SIM_EU_PORT, 18081),
  },
  clients: [{ ...DEMO_CLIENT, redirectUris }, DEMO_SELF_CLIENT],
  users: DEMO_USERS,
  accessTokenLifetimeSec: tokenLifetime(values['token-lifetime']),
});

const SELF_CLIENT_SCOPES = 'ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.modules.ALL';
// Zoho's console lets a Self Client code live 3-10 minutes; 10 gives a person time to paste it.
const issueSelfCode = () =>
  sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: SELF_CLIENT_SCOPES,
    userEmail: DEMO_USERS[0]?.email ?? '',
    lifetimeMs: 10 * 60_000,
  });

const lines = [
  'Zoho simulator running (simulated secrets below are for the demo only).',
  ...sim.dataCenters.map(
    (dc) =>
      `  ${dc.id}: accounts ${dc.accountsUrl}  api_domain ${dc.apiDomain}  sandbox ${dc.apiDomains.sandbox}  developer ${dc.apiDomains.developer}  (location=${dc.location})`,
  ),
  '',
  `Client "${DEMO_CLIENT.name}" (server-based, enabled in every DC)`,
  `  client_id     ${DEMO_CLIENT.clientId}`,
  `  client_secret ${DEMO_CLIENT.clientSecret}`,
  ...redirectUris.map((u) => `  redirect_uri  ${u}`),
  `Self client "${DEMO_SELF_CLIENT.name}"`,
  `  client_id     ${DEMO_SELF_CLIENT.clientId}`,
  `  client_secret ${DEMO_SELF_CLIENT.clientSecret}`,
  '',
  'Users:',
  ...sim.users.map((u) => `  ${u.email}  ${u.fullName}  ${u.dataCenter}  org "${u.orgName}"`),
  '',
  `Authorize: ${sim.dataCenters[0]?.accountsUrl}/oauth/v2/auth?client_id=${DEMO_CLIENT.clientId}&response_type=code&redirect_uri=${encodeURIComponent(DEFAULT_REDIRECT_URI)}&scope=${SELF_CLIENT_SCOPES}&access_type=offline&prompt=consent&state=demo`,
  '',
  'Press Enter for a Self Client grant code; Ctrl-C to stop.',
];
console.log(lines.join('\n'));
log.info('simulator started', {
  dataCenters: sim.dataCenters.map((dc) => ({ id: dc.id, accounts: dc.accountsUrl, api: dc.apiDomain })),
  logFile: fileLog.path,
});

const rl = createInterface({ input: process.stdin });
rl.on('line', () => {
  try {
    const grant = issueSelfCode();
    log.info('Self Client grant code issued', { dataCenter: grant.dataCenter });
    console.log(
      `Self Client grant code for ${DEMO_USERS[0]?.email} (${grant.dataCenter}, valid 10 min, accounts-server ${grant.accountsServer}):\n  ${grant.code}`,
    );
  } catch (e) {
    console.log(e instanceof Error ? e.message : String(e));
  }
});

const stop = () => {
  rl.close();
  log.info('simulator stopping');
  void sim.close().then(() => {
    fileLog.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
