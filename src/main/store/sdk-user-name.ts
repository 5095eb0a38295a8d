/**
 * One rule for user names, shared with the official SDK. SDK 8.0 (3.0.0), when it looks the user up itself,
 * names the user `<email>:<zgid>` (CRM CurrentUser's email, then the org's zgid: docs/sdk-adapter.md).
 * TokenDesk stores that same form when it knows the zgid, so the SDK (and its own FileStore and DBStore)
 * finds what TokenDesk saved; a bare email (no zgid known: no org scope) is the same person, and lookups
 * match either form. People are shown the email.
 */
const SDK_USER_NAME = /^([^\s:]+@[^\s:]+):(\d+)$/;

/** The name the SDK would give this user: `<email>:<zgid>`, or the bare email when the zgid is unknown. */
export function sdkUserName(email: string, zgid: string | null): string {
  return zgid !== null && /^\d+$/.test(zgid) ? `${email}:${zgid}` : email;
}

/** The email inside a stored user name (the name itself when it is not the SDK's form). */
export function emailOfUserName(stored: string): string {
  return SDK_USER_NAME.exec(stored)?.[1] ?? stored;
}

/** Whether `name` is the SDK's `<email>:<zgid>` form. */
export function isSdkUserName(name: string): boolean {
  return SDK_USER_NAME.test(name);
}

/**
 * Whether a stored name answers a lookup by `wanted`: the same name, or one is the bare email of the
 * other's SDK form. Two SDK forms with different zgids are different orgs, so different users.
 */
export function userNamesMatch(wanted: string, stored: string): boolean {
  if (wanted === stored) return true;
  if (isSdkUserName(wanted)) return !isSdkUserName(stored) && emailOfUserName(wanted) === stored;
  return isSdkUserName(stored) && emailOfUserName(stored) === wanted;
}
