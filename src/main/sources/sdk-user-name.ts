import { userNamesMatch } from '../store/sdk-user-name';
import { consoleUserName } from '../tokens/user-name';

/**
 * The user-name rule of SDK stores is the local store's (src/main/store/sdk-user-name.ts): the SDK writes a
 * user as `email`, or as `email:<zgid>` when it looked the user up itself; a bare email and an SDK form of
 * it name one person, while two SDK forms with different zgids are two orgs, so two users. A stored
 * spelling is kept on update.
 */

/** The email part of a name: what every spelling of one person starts with (a coarse filter only). */
export function sdkUserKey(name: string): string {
  return consoleUserName(name) ?? name;
}

/** Whether two stored names are one person under the shared rule. */
export function sameSdkUser(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && userNamesMatch(a, b);
}
