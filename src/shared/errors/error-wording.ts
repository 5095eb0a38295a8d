import type { ErrorCode, ZohoOperation } from './error-codes';
import { toErrorCode } from './error-codes';
import { type ErrorWording, ZOHO_CALL_WORDING, ZOHO_WORDING } from './zoho-wording';

export type { ErrorWording } from './zoho-wording';

/**
 * The one table of words per error code (docs/architecture.md "Errors"). Main raises an error with a message
 * that names the exact case where it knows one, and with these words where it does not (ZohoError always);
 * the renderer shows these when an error reaches it with a code only, and for the hint when none came.
 * The type makes a code without words a compile error; error-wording.test.ts checks none is empty.
 */
export const ERROR_WORDING: { readonly [C in ErrorCode]: ErrorWording } = {
  ...ZOHO_WORDING,
  INVALID_ARGUMENT: { message: 'Some details are not valid.', hint: 'Check the highlighted fields.' },
  FORBIDDEN_SENDER: {
    message: 'The request was refused by the app itself.',
    hint: 'Restart TokenDesk; this page is not trusted.',
  },
  INTERNAL: {
    message: 'Something went wrong inside TokenDesk.',
    hint: 'Try again; the app log may say more.',
  },
  NO_BRIDGE: {
    message: 'TokenDesk’s back end is not available.',
    hint: 'Open the console from the TokenDesk app, not a plain browser.',
  },
  UNEXPECTED: {
    message: 'An unexpected error stopped this action.',
    hint: 'Try again; the app log may say more.',
  },
  NOT_FOUND: { message: 'That item no longer exists.', hint: 'Reload the list; it may have been deleted.' },
  SAVE_FAILED: {
    message: 'The token could not be saved on this computer. Nothing was saved.',
    hint: 'Free some disk space or close the program holding the store, then sign in again.',
  },
  LOCKED: { message: 'The token store is locked.', hint: 'Unlock the store first.' },
  UNREADABLE: {
    message: 'This token cannot be decrypted (tampered, or encrypted with another key).',
    hint: 'Delete it and add the account again.',
  },
  REAUTH_REQUIRED: {
    message: 'Zoho no longer accepts the refresh token (revoked, or evicted after 20 newer ones).',
    hint: 'Use Re-authorise to sign in again for this token.',
  },
  INCOMPLETE_TOKEN: {
    message: 'This token lacks its client id, client secret, data center, environment or refresh token.',
    hint: 'Delete it and import the refresh token again with its client details.',
  },
  ZOHO_UNREACHABLE: {
    message: 'Zoho could not be reached; the stored token was left unchanged.',
    hint: 'Check the network connection (and proxy or VPN), then try again.',
  },
  ZOHO_REJECTED: {
    message: 'Zoho refused the request.',
    hint: 'Check the client id and secret, and the data center.',
  },
  COUNT_MISMATCH: {
    message: 'The number of tokens changed since you confirmed.',
    hint: 'Review the list and confirm again.',
  },
  DIFFERENT_USER: {
    message: 'You signed in as a different Zoho user than the one this token belongs to.',
    hint: 'Sign out of Zoho in the browser, then re-authorise as the right user.',
  },
  IN_PROGRESS: {
    message: 'This is already being done.',
    hint: 'Wait for it to finish, then look again.',
  },
  NOT_SUPPORTED: {
    message: 'That is not possible for this store or source.',
    hint: 'Check the store’s protection or the source’s kind.',
  },
  DEMO_UNAVAILABLE: {
    message: 'The built-in Zoho simulator is not available.',
    hint: 'Restart TokenDesk and try again.',
  },
  DEMO_TOKEN_ORPHANED: {
    message: 'This token was issued by a run of the built-in Zoho simulator that has ended.',
    hint: 'Delete it without revoking, then add a demo account again.',
  },
  ALREADY_SET_UP: {
    message: 'The token store is already set up.',
    hint: 'Unlock it instead.',
  },
  NOT_SET_UP: { message: 'The token store is not set up yet.', hint: 'Set it up first.' },
  WRONG_PASSPHRASE: {
    message: 'That passphrase is not right.',
    hint: 'Check Caps Lock and the keyboard layout, then try again.',
  },
  KEYCHAIN_UNAVAILABLE: {
    message: 'The OS keychain cannot protect secrets on this computer.',
    hint: 'Use a master passphrase instead.',
  },
  STORE_MISSING: {
    message: 'The token store that was set up here is missing or empty.',
    hint: 'Put the file back (from a backup) and try again, or choose to start a new, empty store.',
  },
  KEY_CORRUPT: {
    message: 'The token store’s encryption key is damaged, so it cannot be opened.',
    hint: 'Restore the store from a backup.',
  },
  UNLOCK_BACKOFF: {
    message: 'Too many wrong passphrases in a row.',
    hint: 'Wait a little before the next try; the wait doubles with each wrong passphrase.',
  },
  CLOSED: { message: 'TokenDesk is closing.', hint: 'Open TokenDesk again to continue.' },
  NOT_FOUND_DETAILS: {
    message: 'Given user authentication details not found.',
    hint: 'Give the token a grant, refresh or access token, or an id or user name the store knows.',
  },
  UNREADABLE_ROW: {
    message: 'This stored row cannot be read (tampered, or sealed with another key).',
    hint: 'Delete it and add the account again.',
  },
  MALFORMED_TOKEN: {
    message: 'The token has a field the store cannot keep (e.g. an unknown data center or environment).',
    hint: 'Correct the token’s data center and environment, then save it again.',
  },
  STORAGE: {
    message: 'The token store could not be read or written.',
    hint: 'Check the disk (space, permissions), then try again.',
  },
  CONFLICT: {
    message: 'The token changed at its source since it was read; nothing was overwritten.',
    hint: 'Reload the list and try again when the integration is idle.',
  },
  DATABASE_BUSY: {
    message: 'The database is busy (held by another program). Nothing was written.',
    hint: 'Another program (for example an app using the Zoho SDK with the same file) is writing to it. Try again when it has finished.',
  },
  UNAVAILABLE: {
    message: 'The system keychain is not available.',
    hint: 'Unlock your session’s keychain, or use a master passphrase instead.',
  },
  CORRUPT: {
    message: 'The stored key is damaged or in a format TokenDesk did not write.',
    hint: 'Restore the store from a backup.',
  },
  INVALID_MEMBER_KEY: {
    message: 'That member key or name is not valid.',
    hint: 'Paste the member’s public key exactly as TokenDesk showed it, with a name of 1 to 200 characters.',
  },
  NOT_A_MEMBER: {
    message: 'This member key is not (or no longer) a member of the team store.',
    hint: 'Ask a member of the team to add your public key.',
  },
  READ_ONLY: {
    message: 'Your membership of this team store is read-only.',
    hint: 'Ask a member with manage access to make the change, or to give you manage access.',
  },
  NOT_A_TEAM_STORE: {
    message: 'This database holds no team store yet.',
    hint: 'Create the team store first.',
  },
  ALREADY_A_MEMBER: { message: 'That key is already a member.', hint: 'Nothing to add.' },
  UNKNOWN_MEMBER: {
    message: 'That member is not (or no longer) in the team store.',
    hint: 'Reload the member list.',
  },
  LAST_MEMBER: {
    message: 'That is the last member who can manage the team store.',
    hint: 'Give another member manage access first.',
  },
  UNREACHABLE: {
    message: 'The team store cannot be reached.',
    hint: 'Check the connection to its database; TokenDesk keeps trying.',
  },
  BACKUP_PATH_INVALID: {
    message: 'That is not a path a backup can be written to or read from.',
    hint: 'Type the full path of the backup file.',
  },
  BACKUP_EXISTS: {
    message: 'A file with that name already exists.',
    hint: 'Choose another name; TokenDesk never overwrites a file with a backup.',
  },
  INVALID_LABEL: {
    message: 'That name, label or note cannot be saved.',
    hint: 'Shorten it or remove the character, then save again.',
  },
  BACKUP_NOT_FOUND: { message: 'There is no backup file there.', hint: 'Check the path and try again.' },
  NOT_A_BACKUP: {
    message: 'That file is not a TokenDesk backup.',
    hint: 'Choose a file TokenDesk wrote with Back up.',
  },
  BACKUP_DAMAGED: {
    message: 'The backup is damaged, so it cannot be restored.',
    hint: 'Restore another backup.',
  },
  BACKUP_WRONG_PASSPHRASE: {
    message: 'That passphrase does not open this backup.',
    hint: 'Use the passphrase the store had when the backup was made.',
  },
  BACKUP_PROTECTOR_MISMATCH: {
    message: 'The backup and this store are protected in different ways.',
    hint: 'Restore it where it was made, or set this store up the same way first.',
  },
  BACKUP_ROWS_UNREADABLE: {
    message: 'Some token rows cannot be read, so a backup could never be restored.',
    hint: 'Delete the unreadable rows (they are marked in the list), then back up.',
  },
  BACKUP_IO: {
    message: 'The backup file could not be read or written.',
    hint: 'Check the disk (space, permissions) and the path, then try again.',
  },
  BACKUP_IN_PROGRESS: {
    message: 'A backup or restore is already running.',
    hint: 'Wait for it to finish.',
  },
  BACKUP_NO_PATH: { message: 'No backup file was chosen.', hint: 'Type the full path of the backup file.' },
  BAD_SOURCE: {
    message: 'That token source is not written in a form TokenDesk reads.',
    hint: 'Use local, filestore:PATH, sqlite:PATH[?table=NAME] or mysql://USER:PASS@HOST:PORT/DB[?table=NAME].',
  },
  SOURCE_UNREACHABLE: {
    message: 'The token source could not be opened.',
    hint: 'Check that its file or database is there and reachable, then try again.',
  },
  SAME_SOURCE: { message: 'The tokens are already in that source.', hint: 'Choose another source.' },
  CONFIRMATION_REQUIRED: {
    message: 'That source keeps secrets in plaintext; nothing was copied.',
    hint: 'Confirm that you accept plaintext secrets there, then try again.',
  },
  SDK_ADAPTER: {
    message: 'The Zoho SDK passed something TokenDesk cannot store.',
    hint: 'Initialise the SDK with an OAuthToken (new OAuthBuilder()...build()).',
  },
  TOKEN_STORE: {
    message: 'Given ID is invalid.',
    hint: 'The SDK asked for a token id the store does not hold.',
  },
  USAGE: { message: 'That command is not written right.', hint: 'Run tokendesk --help.' },
  BAD_ENVIRONMENT: {
    message: 'An environment variable TokenDesk reads is not valid.',
    hint: 'Check the TOKENDESK_ variables, then try again.',
  },
  NO_STORE: { message: 'There is no TokenDesk store here yet.', hint: 'Create one with tokendesk import.' },
  PASSPHRASE_REQUIRED: {
    message: 'This store is protected by a passphrase, and none was given.',
    hint: 'Give the passphrase as TokenDesk’s CLI help describes.',
  },
  KEYCHAIN_ONLY: {
    message: 'This store is protected by the system keychain only, which the CLI cannot use.',
    hint: 'Open the app and protect the store with a master passphrase to use it from the CLI.',
  },
  NO_CLIPBOARD: {
    message: 'This process has no clipboard to copy a token to.',
    hint: 'Copy the access token from the TokenDesk window.',
  },
  URL_REFUSED: {
    message: 'TokenDesk will not open this link in your browser.',
    hint: 'Only Zoho sign-in pages (and the built-in simulator in demo mode) are opened.',
  },
};

/** The words for a code, call-specific where a Zoho call (`operation`) reads differently. */
export function wordingOf(code: ErrorCode, operation?: ZohoOperation): ErrorWording {
  return (operation && ZOHO_CALL_WORDING[operation]?.[code]) || ERROR_WORDING[code];
}

/** The words for a code as main, Zoho or a stored outcome spelled it; null when the catalogue has none. */
export function wordingOfRaw(raw: string, operation?: ZohoOperation): ErrorWording | null {
  const code = toErrorCode(raw);
  return code === null ? null : wordingOf(code, operation);
}
