/**
 * The official SDK 8.0 (3.0.0), when it looks the user up itself, names the user `<email>:<org id>`
 * (docs/sdk-adapter.md). The stored name must stay as it is, since that is what the SDK later looks its
 * token up by; the console shows, and compares, the email.
 */
const SDK_USER_NAME = /^([^\s:@]+@[^\s:@]+):\d+$/;

/** The user as a person reads it: the email, also for a row the SDK named `<email>:<org id>`. */
export function consoleUserName(stored: string | null): string | null {
  if (stored === null) return null;
  return SDK_USER_NAME.exec(stored)?.[1] ?? stored;
}

/** Whether two stored user names are the same Zoho user (case-insensitive email, SDK suffix ignored). */
export function sameUser(a: string | null, b: string | null): boolean {
  const x = consoleUserName(a)?.trim().toLowerCase();
  const y = consoleUserName(b)?.trim().toLowerCase();
  return x !== undefined && x === y;
}
