import { consoleUserName } from '../tokens/user-name';

/**
 * The one user-name rule for SDK stores: the SDK writes a user as `email`, or as `email:<zgid>` when it
 * looked the user up itself. Both name one person: matching, display and merging compare the email part,
 * exactly (as the SDK's own stores compare names), and a stored spelling is kept on update.
 */
export function sdkUserKey(name: string): string {
  return consoleUserName(name) ?? name;
}

export function sameSdkUser(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && sdkUserKey(a) === sdkUserKey(b);
}
