import { escapeHtml } from './http-util';
import type { SimClient, SimUser } from './types';

/** Fields the consent form posts back to `/oauth/v2/auth/approve` (the authorization request itself). */
export const AUTH_REQUEST_FIELDS = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'access_type',
  'prompt',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}ul{padding-left:1.2rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
.banner{background:#fff4d6;border:1px solid #e0c060;padding:.4rem .8rem;font-size:.85rem}
.error{color:#a00}label{display:block;margin:.8rem 0 .3rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><p class="banner">Zoho simulator (TokenDesk demo). Not a real Zoho server.</p>${body}</body></html>`;
}

export function consentPage(input: {
  client: SimClient;
  scopes: readonly string[];
  params: ReadonlyMap<string, string>;
  users: readonly SimUser[];
  dataCenterLabel: string;
  error?: string;
}): string {
  const hidden = AUTH_REQUEST_FIELDS.filter((f) => input.params.has(f))
    .map((f) => `<input type="hidden" name="${f}" value="${escapeHtml(input.params.get(f) ?? '')}">`)
    .join('');
  const options = input.users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.email)}">${escapeHtml(`${u.fullName} <${u.email}> (${u.dataCenter})`)}</option>`,
    )
    .join('');
  const scopes = input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return page(
    'Zoho Accounts: authorize',
    `<h1><strong>${escapeHtml(input.client.name)}</strong> would like to access your Zoho account</h1>
<p>Signing in at the ${escapeHtml(input.dataCenterLabel)} accounts server.</p>
<p>Requested scopes:</p><ul id="scopes">${scopes}</ul>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/oauth/v2/auth/approve">${hidden}
<label for="email">Sign in as</label>
<select id="email" name="email">${options}</select>
<p><button type="submit" name="decision" value="accept" id="accept">Accept</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
</form>`,
  );
}

export function errorPage(title: string, detail: string): string {
  return page(title, `<h1 class="error">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`);
}
