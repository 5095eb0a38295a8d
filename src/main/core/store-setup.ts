import type { Clock } from '../common/clock';
import { createLogger } from '../log';
import type { KeyProtector } from '../store/key-protector';
import { ServiceError } from '../tokens/errors';
import { createStoreFile, setAsideDatabaseFiles } from './store-files';
import type { MissingStore, StoreFolder } from './store-folder';
import { type KeychainAccess, protectorForSetup, type SetupRequest } from './store-key-protectors';
import { markerFor } from './store-marker';
import type { StoreOpener } from './store-opener';

const log = createLogger('app.store');

/**
 * A new store on disk (docs/store-lifecycle.md): created under a temporary name and renamed into place
 * once it holds its key, then noted in `store.json`, so a failed set-up leaves nothing that looks like a
 * store. The store lifecycle (store-lifecycle.ts) runs it in its serial turn, then opens what it made.
 */

export interface StoreSetupDeps {
  readonly folder: StoreFolder;
  readonly opener: StoreOpener;
  readonly keychain: KeychainAccess | null;
  readonly passphraseProtector: (passphrase: string) => KeyProtector;
  readonly clock: Clock;
}

export interface CreatedStore {
  /** Makes the protector that opens the new store. */
  readonly makeProtector: () => KeyProtector;
  /** Side-writes that failed (the note), to report beside the set-up. */
  readonly warnings: string[];
}

/** Throws unless a set-up may run: nothing set up here, or a missing store the person chose to replace. */
export function refuseSetup(
  uninitialised: boolean,
  replacing: MissingStore | null,
  request: SetupRequest,
): void {
  if (uninitialised || (request.startOver === true && replacing !== null)) return;
  throw new ServiceError(
    'ALREADY_SET_UP',
    replacing ? replacing.message : 'The token store is already set up.',
    {
      hint: replacing
        ? 'Put the file back (from a backup) and unlock, or choose to start a new, empty store.'
        : 'Unlock it instead; to start over, remove the data folder.',
    },
  );
}

export async function createStore(deps: StoreSetupDeps, request: SetupRequest): Promise<CreatedStore> {
  const { folder, opener } = deps;
  const makeProtector = await protectorForSetup(request, deps.keychain, deps.passphraseProtector);
  // Whatever sits at the store's name (a 0-byte file, a failed set-up's tables, a stray WAL) goes
  // aside first: it is not a store, and a new one must not inherit its pages.
  const setAside = setAsideDatabaseFiles(folder.dbPath, deps.clock.now());
  if (setAside) log.warn('moved a file that was not a token store aside', { file: setAside });
  await createStoreFile(folder.dbPath, (temp) => opener.openAt(temp, makeProtector()));
  const warnings: string[] = [];
  // The note goes last: a note with no store would read as "your store is gone" at the next start.
  const noted = folder.note(markerFor(request.protector));
  if (noted) warnings.push(noted);
  return { makeProtector, warnings };
}

/** The set-up's audit row: which protector, and the store it replaced at the person's request. */
export function setupAuditDetail(request: SetupRequest, replacing: MissingStore | null): string {
  const kind = request.protector === 'keychain' ? 'the system keychain' : 'a master passphrase';
  const replaced = replacing
    ? ` It replaces the store that was ${replacing.reason}, at the user's request.`
    : '';
  return `Token store created, protected by ${kind}.${replaced}`;
}
