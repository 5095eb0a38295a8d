import { clipboard } from 'electron';
import type { Clipboard } from '../common/clipboard';

/** The system clipboard. Copying a token is an explicit, audited action decided in TokenService. */
export class ElectronClipboard implements Clipboard {
  /** Electron 45 writes asynchronously: the copy is reported (and audited) only once this settles. */
  writeText(text: string): Promise<void> {
    return clipboard.writeText(text);
  }

  readText(): Promise<string> {
    return clipboard.readText();
  }

  clear(): void {
    clipboard.clear();
  }
}
