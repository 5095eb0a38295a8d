/**
 * The small page the system browser shows after Zoho redirects to TokenDesk's loopback server. It loads
 * nothing and runs no script; the strict CSP in `loopback-server.ts` enforces that.
 */
export type CallbackPageKind = 'success' | 'failure' | 'ignored';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:32rem;margin:4rem auto;
padding:0 1rem;color:#1f2933;line-height:1.5}h1{font-size:1.3rem}.ok{color:#17643a}.bad{color:#9b1c1c}
.hint{color:#52606d}`;

export function callbackPage(kind: CallbackPageKind, detail?: string, hint?: string): string {
  const title =
    kind === 'success'
      ? 'Signed in to Zoho'
      : kind === 'ignored'
        ? 'This sign-in link is not valid'
        : 'Sign-in did not complete';
  const lead =
    kind === 'success'
      ? 'You can close this tab and return to TokenDesk.'
      : (detail ?? 'Something went wrong. Return to TokenDesk for details.');
  const extra =
    kind === 'success'
      ? ''
      : `<p class="hint">${escapeHtml(hint ?? 'You can close this tab and return to TokenDesk.')}</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TokenDesk: ${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body><h1 class="${kind === 'success' ? 'ok' : 'bad'}">${escapeHtml(title)}</h1>
<p>${escapeHtml(lead)}</p>${extra}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
