import { AUTH_REQUEST_FIELDS } from './consent-page';

export interface ConsentResult {
  /** HTTP status of the consent page (200, or 400 for an unknown client / unregistered redirect URI). */
  readonly pageStatus: number;
  /** Where the simulator redirected (the app's callback URL with code/error), or null when it did not. */
  readonly redirectedTo: URL | null;
}

/**
 * Does in code what a person does in the browser: opens the authorization URL (as the app built it),
 * then presses Accept or Deny. Tests and the e2e harness use it as a `BrowserOpener`; it never follows
 * the redirect, so the caller decides whether to deliver it to the app's loopback listener.
 */
export async function driveConsent(
  authorizationUrl: string,
  choice: { readonly userEmail?: string; readonly decision?: 'accept' | 'deny' } = {},
): Promise<ConsentResult> {
  const authUrl = new URL(authorizationUrl);
  const page = await fetch(authUrl, { redirect: 'manual' });
  await page.text();
  if (page.status !== 200) {
    const location = page.headers.get('location');
    return { pageStatus: page.status, redirectedTo: location ? new URL(location) : null };
  }
  const form = new URLSearchParams();
  for (const field of AUTH_REQUEST_FIELDS) {
    const value = authUrl.searchParams.get(field);
    if (value !== null) form.set(field, value);
  }
  form.set('email', choice.userEmail ?? '');
  form.set('decision', choice.decision ?? 'accept');
  const answer = await fetch(new URL('/oauth/v2/auth/approve', authUrl.origin), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  await answer.text();
  const location = answer.headers.get('location');
  return {
    pageStatus: page.status,
    redirectedTo: answer.status === 302 && location ? new URL(location) : null,
  };
}
