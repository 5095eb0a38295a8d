import { z } from 'zod';
import { toErrorCode } from '../../shared/errors/error-codes';
import { createLogger } from '../log';
import type { ZohoEndpoints } from './endpoints';
import { ZohoError, zohoError } from './errors';
import { type HttpAnswer, type HttpOptions, httpExchange } from './http';

const log = createLogger('zoho.crm');

/** CRM API version used for "test connection" calls (docs/zoho.md "CRM calls"). */
export const CRM_API_PATH = '/crm/v8';

const CrmUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  full_name: z.string().optional(),
  zuid: z.string().optional(),
  status: z.string().optional(),
  role: z.object({ name: z.string().optional(), id: z.string().optional() }).optional(),
  profile: z.object({ name: z.string().optional(), id: z.string().optional() }).optional(),
});

const CrmOrgSchema = z.object({
  id: z.string(),
  company_name: z.string().nullable().optional(),
  primary_email: z.string().nullable().optional(),
  domain_name: z.string().nullable().optional(),
  time_zone: z.string().nullable().optional(),
  country_code: z.string().nullable().optional(),
  // The org's group id: the SDK names a user `<email>:<zgid>`. A number in some answers, a string in others.
  zgid: z.union([z.string(), z.number()]).nullable().optional(),
});

const CrmErrorSchema = z.object({ code: z.string() });

export interface CrmUser {
  readonly id: string;
  readonly email: string;
  readonly fullName: string | null;
  readonly zuid: string | null;
  readonly status: string | null;
  readonly roleName: string | null;
  readonly profileName: string | null;
}

export interface CrmOrg {
  readonly id: string;
  readonly companyName: string | null;
  readonly primaryEmail: string | null;
  readonly domainName: string | null;
  readonly timeZone: string | null;
  readonly countryCode: string | null;
  /** The org's zgid (digits), as the SDK puts it in a user name. */
  readonly zgid: string | null;
}

/** `GET /users?type=CurrentUser`: the first user, in TokenDesk's words (undefined: not that answer). */
const CurrentUserAnswerSchema = z
  .object({ users: z.array(CrmUserSchema).min(1) })
  .transform(({ users: [u] }): CrmUser | undefined =>
    u
      ? {
          id: u.id,
          email: u.email,
          fullName: u.full_name ?? null,
          zuid: u.zuid ?? null,
          status: u.status ?? null,
          roleName: u.role?.name ?? null,
          profileName: u.profile?.name ?? null,
        }
      : undefined,
  );

/** `GET /org`: the organisation, in TokenDesk's words (undefined: not that answer). */
const OrgAnswerSchema = z
  .object({ org: z.array(CrmOrgSchema).min(1) })
  .transform(({ org: [o] }): CrmOrg | undefined =>
    o
      ? {
          id: o.id,
          companyName: o.company_name ?? null,
          primaryEmail: o.primary_email ?? null,
          domainName: o.domain_name ?? null,
          timeZone: o.time_zone ?? null,
          countryCode: o.country_code ?? null,
          zgid: o.zgid === null || o.zgid === undefined ? null : String(o.zgid),
        }
      : undefined,
  );

export interface CrmResult<T> {
  readonly value: T;
  readonly httpStatus: number;
  readonly latencyMs: number;
}

export interface CrmClient {
  /** `signal` ends the call early (CANCELLED): a cancelled sign-in stops its user lookup. */
  currentUser(apiDomain: string, accessToken: string, signal?: AbortSignal): Promise<CrmResult<CrmUser>>;
  org(apiDomain: string, accessToken: string, signal?: AbortSignal): Promise<CrmResult<CrmOrg>>;
}

export interface CrmClientOptions extends HttpOptions {
  readonly endpoints: ZohoEndpoints;
}

/** CRM 401 codes: a dead token (`INVALID_TOKEN`, older `INVALID_OAUTHTOKEN`) or a missing scope. */
function crmAnswerError(answer: HttpAnswer): ZohoError | undefined {
  const base = { operation: 'crm' as const, httpStatus: answer.status, latencyMs: answer.latencyMs };
  if (answer.status === 200) return undefined;
  if (answer.status >= 500) return zohoError('SERVER_ERROR', base);
  if (answer.status === 429) return zohoError('THROTTLED', base);
  const err = CrmErrorSchema.safeParse(answer.json);
  const zohoCode = err.success ? err.data.code : undefined;
  const details = zohoCode ? { ...base, zohoCode } : base;
  if (zohoCode !== undefined && toErrorCode(zohoCode) === 'SCOPE_MISMATCH')
    return zohoError('SCOPE_MISMATCH', details);
  if (answer.status === 401) return zohoError('INVALID_TOKEN', details);
  return zohoError('UNEXPECTED_RESPONSE', details);
}

export function createCrmClient(options: CrmClientOptions): CrmClient {
  async function get<T>(
    apiDomain: string,
    path: string,
    accessToken: string,
    answerSchema: z.ZodType<T | undefined>,
    signal?: AbortSignal,
  ): Promise<CrmResult<T>> {
    // An access token goes only to a known API domain (the stored api_domain could have been edited).
    if (!options.endpoints.isTrustedApiDomain(apiDomain)) {
      log.warn('refused an untrusted API domain', { path, errorCode: 'UNTRUSTED_SERVER' });
      throw zohoError('UNTRUSTED_SERVER', { operation: 'crm' });
    }
    const url = new URL(`${CRM_API_PATH}${path}`, apiDomain);
    const answer = await httpExchange(
      url,
      { method: 'GET', headers: { Authorization: `Zoho-oauthtoken ${accessToken}` } },
      'crm',
      options,
      signal,
    ).catch((e: unknown) => {
      if (e instanceof ZohoError) log.warn('CRM call failed', { path, errorCode: e.code });
      throw e;
    });
    const failure = crmAnswerError(answer);
    const parsed = failure ? undefined : answerSchema.safeParse(answer.json);
    const value = parsed?.success ? parsed.data : undefined;
    if (failure || value === undefined) {
      const error =
        failure ??
        zohoError('UNEXPECTED_RESPONSE', {
          operation: 'crm',
          httpStatus: answer.status,
          latencyMs: answer.latencyMs,
        });
      log.warn('CRM call failed', {
        path,
        errorCode: error.code,
        status: answer.status,
        latencyMs: answer.latencyMs,
      });
      throw error;
    }
    log.info('CRM call ok', { path, status: answer.status, latencyMs: answer.latencyMs });
    return { value, httpStatus: answer.status, latencyMs: answer.latencyMs };
  }

  return {
    currentUser: (apiDomain, accessToken, signal) =>
      get(apiDomain, '/users?type=CurrentUser', accessToken, CurrentUserAnswerSchema, signal),
    org: (apiDomain, accessToken, signal) => get(apiDomain, '/org', accessToken, OrgAnswerSchema, signal),
  };
}
