import {
  DATA_CENTER_IDS,
  DATA_CENTERS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../../shared/datacenters';
import { ipcContract } from '../../../shared/ipc/contract';
import type { SignInStage } from '../../../shared/ipc/views';
import type { SelectOption } from '../../components/Select';

/** Zoho's typical admin scopes (docs/zoho.md): enough for the test call and for CRM work. */
export const DEFAULT_SCOPES = 'ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.modules.ALL';

/** Data center and environment choices, as Add account and the Settings defaults show them. */
export const DATA_CENTER_OPTIONS: ReadonlyArray<SelectOption<DataCenterId>> = DATA_CENTER_IDS.map((id) => ({
  value: id,
  label: `${id} · ${DATA_CENTERS[id].label}`,
}));
export const ENVIRONMENT_OPTIONS: ReadonlyArray<SelectOption<ZohoEnvironment>> = ENVIRONMENTS.map((e) => ({
  value: e,
  label: e[0]?.toUpperCase() + e.slice(1),
}));

export type SignInMethod = 'browser' | 'grant' | 'import';

export interface AccountFormValues {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string;
  readonly grantCode: string;
  readonly refreshToken: string;
}

export type AccountField = keyof AccountFormValues;
export type FieldErrors = Partial<Record<AccountField, string>>;

/** Scopes are typed comma- or space-separated; Zoho wants a list. */
export function parseScopes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function redirectUri(port: number, path: string): string {
  return `http://127.0.0.1:${port}${path}`;
}

/** Plain words for the fields, so a zod message like "Too small" reads as something to act on. */
const REQUIRED: Readonly<Partial<Record<AccountField, string>>> = {
  clientId: 'Enter the client id from the Zoho API console.',
  clientSecret: 'Enter the client secret from the Zoho API console.',
  scopes: 'Enter at least one scope, e.g. ZohoCRM.users.READ.',
  grantCode: 'Paste the grant code generated in the Zoho API console.',
  refreshToken: 'Paste the refresh token (it starts with 1000.).',
};

type BuiltRequest =
  | {
      readonly ok: true;
      readonly method: 'signInWithBrowser';
      readonly request: ReturnType<typeof browserRequest>;
    }
  | {
      readonly ok: true;
      readonly method: 'signInWithGrantCode';
      readonly request: ReturnType<typeof grantRequest>;
    }
  | {
      readonly ok: true;
      readonly method: 'importRefreshToken';
      readonly request: ReturnType<typeof importRequest>;
    }
  | { readonly ok: false; readonly errors: FieldErrors };

function account(v: AccountFormValues) {
  return {
    dataCenter: v.dataCenter,
    environment: v.environment,
    clientId: v.clientId.trim(),
    clientSecret: v.clientSecret.trim(),
  };
}
function browserRequest(v: AccountFormValues, flowId: string) {
  return { flowId, ...account(v), scopes: parseScopes(v.scopes) };
}
function grantRequest(v: AccountFormValues) {
  return { ...account(v), grantCode: v.grantCode.trim() };
}
function importRequest(v: AccountFormValues) {
  return { ...account(v), refreshToken: v.refreshToken.trim() };
}

function toFieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const head = issue.path[0];
    const field = (head === 'flowId' ? null : head) as AccountField | null | undefined;
    if (!field || errors[field]) continue;
    errors[field] = REQUIRED[field] ?? issue.message;
  }
  return errors;
}

/**
 * Validates with the very schema main will apply (`ipcContract.X.request`), so the user sees field errors
 * before a round trip and the two can never disagree.
 */
export function buildSignInRequest(
  method: SignInMethod,
  values: AccountFormValues,
  flowId: string,
): BuiltRequest {
  if (method === 'browser') {
    const request = browserRequest(values, flowId);
    const parsed = ipcContract.signInWithBrowser.request.safeParse(request);
    return parsed.success
      ? { ok: true, method: 'signInWithBrowser', request }
      : { ok: false, errors: toFieldErrors(parsed.error.issues) };
  }
  if (method === 'grant') {
    const request = grantRequest(values);
    const parsed = ipcContract.signInWithGrantCode.request.safeParse(request);
    return parsed.success
      ? { ok: true, method: 'signInWithGrantCode', request }
      : { ok: false, errors: toFieldErrors(parsed.error.issues) };
  }
  const request = importRequest(values);
  const parsed = ipcContract.importRefreshToken.request.safeParse(request);
  return parsed.success
    ? { ok: true, method: 'importRefreshToken', request }
    : { ok: false, errors: toFieldErrors(parsed.error.issues) };
}

/** Sign-in stages as words for the progress view. */
export const STAGE_LABELS = {
  starting: 'Starting the sign-in…',
  'waiting-for-browser': 'Waiting for the browser…',
  'exchanging-code': 'Exchanging the code with Zoho…',
  'fetching-user': 'Looking up the signed-in user…',
  saving: 'Saving the token…',
  done: 'Signed in.',
  failed: 'Sign-in failed.',
  cancelled: 'Sign-in cancelled.',
} as const satisfies Record<SignInStage, string>;

/**
 * What the sign-in dialogs' live region says: the current stage in words, from the moment the flow starts
 * (before main's first `signin.progress` arrives), and nothing when no flow has run.
 */
export function signInAnnouncement(pending: boolean, progress: { stage: keyof typeof STAGE_LABELS } | null) {
  if (progress) {
    const words = STAGE_LABELS[progress.stage];
    return progress.stage === 'waiting-for-browser'
      ? `${words} Finish signing in to Zoho in your browser.`
      : words;
  }
  return pending ? STAGE_LABELS.starting : '';
}
