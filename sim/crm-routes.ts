import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataCenterId, ZohoEnvironment } from '../src/shared/datacenters';
import type { SimContext } from './context';
import { sendJson, stableId } from './http-util';
import type { SimUser } from './types';

/** CRM v8 error body shape: `{code, details, message, status:"error"}`. */
function crmError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, details: {}, message, status: 'error' });
}

/** Which scopes open which endpoint: the endpoint's module at READ or ALL level (case-insensitive). */
const REQUIRED_SCOPES: Readonly<Record<string, readonly string[]>> = {
  '/crm/v8/users': ['zohocrm.users.read', 'zohocrm.users.all'],
  '/crm/v8/org': ['zohocrm.org.read', 'zohocrm.org.all'],
};

function crmUser(user: SimUser) {
  const [first, ...rest] = user.fullName.split(' ');
  return {
    id: stableId(`user:${user.email}`),
    email: user.email,
    full_name: user.fullName,
    first_name: first ?? '',
    last_name: rest.join(' '),
    role: { name: 'CEO', id: stableId(`role:${user.orgName}`) },
    profile: { name: 'Administrator', id: stableId(`profile:${user.orgName}`) },
    status: 'active',
    confirm: true,
    zuid: user.zuid,
    time_zone: user.dataCenter === 'EU' ? 'Europe/Berlin' : 'America/Los_Angeles',
  };
}

function crmOrg(user: SimUser) {
  return {
    id: stableId(`org:${user.orgName}`),
    company_name: user.orgName,
    primary_email: user.email,
    primary_zuid: user.zuid,
    zgid: stableId(`zgid:${user.orgName}`, 9),
    domain_name: `org${stableId(`org:${user.orgName}`, 9)}`,
    currency: user.dataCenter === 'EU' ? 'Euro - EUR' : 'US Dollar - USD',
    iso_code: user.dataCenter === 'EU' ? 'EUR' : 'USD',
    time_zone: user.dataCenter === 'EU' ? 'Europe/Berlin' : 'America/Los_Angeles',
    country_code: user.dataCenter === 'EU' ? 'DE' : 'US',
    type: 'production',
  };
}

/** `GET /crm/v8/users` and `GET /crm/v8/org` (docs/zoho.md "CRM calls for test connection"). */
export function handleCrm(
  ctx: SimContext,
  dc: DataCenterId,
  environment: ZohoEnvironment,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): void {
  ctx.stats.crmRequests += 1;
  const required = REQUIRED_SCOPES[url.pathname];
  if (!required) {
    crmError(res, 404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
    return;
  }
  if (req.method !== 'GET') {
    crmError(res, 405, 'METHOD_NOT_ALLOWED', 'The requested method is not allowed');
    return;
  }
  const match = /^Zoho-oauthtoken\s+(\S+)$/.exec(req.headers.authorization ?? '');
  if (!match?.[1]) {
    crmError(res, 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
    return;
  }
  const at = ctx.state.liveAccessToken(dc, match[1]);
  if (!at) {
    crmError(res, 401, 'INVALID_TOKEN', 'invalid oauth token');
    return;
  }
  // Each environment has its own API domain; a token used at production is not one for the sandbox.
  if (!ctx.state.bindEnvironment(at, environment)) {
    ctx.stats.crmWrongEnvironment += 1;
    crmError(res, 401, 'INVALID_TOKEN', 'invalid oauth token');
    return;
  }
  if (!at.scopes.some((s) => required.includes(s.toLowerCase()))) {
    crmError(res, 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL');
    return;
  }
  const user = ctx.state.findUser(at.userEmail);
  if (!user) {
    crmError(res, 401, 'INVALID_TOKEN', 'invalid oauth token');
    return;
  }
  if (url.pathname === '/crm/v8/org') {
    sendJson(res, 200, { org: [crmOrg(user)] });
    return;
  }
  const type = url.searchParams.get('type') ?? 'AllUsers';
  const users =
    type === 'CurrentUser'
      ? [crmUser(user)]
      : [...ctx.state.users.values()].filter((u) => u.orgName === user.orgName).map((u) => crmUser(u));
  sendJson(res, 200, {
    users,
    info: { per_page: 200, count: users.length, page: 1, more_records: false },
  });
}
