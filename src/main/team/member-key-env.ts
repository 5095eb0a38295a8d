import { readFileSync } from 'node:fs';
import type { KeyProtector } from '../store/key-protector';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { MemberKey } from './member-key';
import { TeamStoreError } from './team-errors';

/**
 * Where a process without a window (an SDK server, the `tokendesk` command) finds its member key and the
 * passphrase that unlocks it (docs/team-store.md "Servers running the official SDK").
 */
export const MEMBER_KEY_ENV = 'TOKENDESK_TEAM_MEMBER_KEY';
export const MEMBER_KEY_FILE_ENV = 'TOKENDESK_TEAM_MEMBER_KEY_FILE';
export const MEMBER_PASSPHRASE_ENV = 'TOKENDESK_TEAM_MEMBER_PASSPHRASE';

type Environment = Readonly<Record<string, string | undefined>>;

/** The member key file's text: the file named by TOKENDESK_TEAM_MEMBER_KEY_FILE, else TOKENDESK_TEAM_MEMBER_KEY. */
export function memberKeyFromEnv(env: Environment = process.env): string {
  const file = env[MEMBER_KEY_FILE_ENV];
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new TeamStoreError(
        'INVALID_MEMBER_KEY',
        `Cannot read the member key file named by ${MEMBER_KEY_FILE_ENV}.`,
        { cause: error },
      );
    }
  }
  const text = env[MEMBER_KEY_ENV];
  if (!text) {
    throw new TeamStoreError(
      'INVALID_MEMBER_KEY',
      `No member key: set ${MEMBER_KEY_FILE_ENV} (a file) or ${MEMBER_KEY_ENV} (its contents).`,
    );
  }
  return text;
}

/** The protector of the member key: a passphrase from TOKENDESK_TEAM_MEMBER_PASSPHRASE. */
export function passphraseFromEnv(env: Environment = process.env): PassphraseKeyProtector {
  const passphrase = env[MEMBER_PASSPHRASE_ENV];
  if (!passphrase) {
    throw new TeamStoreError('LOCKED', `No passphrase for the member key: set ${MEMBER_PASSPHRASE_ENV}.`);
  }
  return new PassphraseKeyProtector(passphrase);
}

/** The member key named by the environment, unlocked (the caller closes it). */
export function unlockMemberKeyFromEnv(
  env: Environment = process.env,
  protector: KeyProtector = passphraseFromEnv(env),
): Promise<MemberKey> {
  return MemberKey.unlock(memberKeyFromEnv(env), protector);
}
