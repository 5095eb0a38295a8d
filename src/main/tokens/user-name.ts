import { emailOfUserName, userNamesMatch } from '../store/sdk-user-name';

/**
 * The user as a person reads it: the email, also for a row stored under the SDK's `<email>:<zgid>` (the
 * one user-name rule: src/main/store/sdk-user-name.ts).
 */
export function consoleUserName(stored: string | null): string | null {
  return stored === null ? null : emailOfUserName(stored);
}

/** Whether two stored user names are the same Zoho user (case-insensitive email, either name form). */
export function sameUser(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return userNamesMatch(a.trim().toLowerCase(), b.trim().toLowerCase());
}
