import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createLogger } from '../log';

const log = createLogger('sources.watch');

/** A burst of writes (the SDK rewrites the file, an editor saves twice) is one change. */
export const WATCH_DEBOUNCE_MS = 250;

/**
 * Calls `onChange` once a burst of changes to the file at `path` has settled. It watches the folder, not
 * the file: a file replaced by a rename (TokenDesk's own atomic write, many editors) is a new inode, and
 * a watch on the old one would go quiet. The watch only makes changes show sooner; every read still
 * checks the file itself (docs/sources.md "FileStore file"), so a platform whose watch misses an event
 * loses nothing but the prompt update. Returns the function that stops watching.
 */
export function watchFileChanges(
  path: string,
  onChange: () => void,
  debounceMs = WATCH_DEBOUNCE_MS,
): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | null = null;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    watcher?.close();
    watcher = null;
  };
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      // Some platforms do not name the file; then any change in the folder counts.
      if (changed !== null && changed.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, debounceMs);
      timer.unref?.();
    });
    watcher.on('error', (error) => {
      log.warn('the token file can no longer be watched; it is still read on every use', {
        errorCode: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN',
      });
      stop();
    });
  } catch (error) {
    log.warn('the token file cannot be watched; it is still read on every use', {
      errorCode: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN',
    });
  }
  return stop;
}
