import { clipboard } from 'electron';
import type { Clipboard } from '../service/clipboard';

/** The system clipboard. Copying a token is an explicit, audited action decided in TokenService. */
export class ElectronClipboard implements Clipboard {
  writeText(text: string): void {
    clipboard.writeText(text);
  }

  readText(): Promise<string> {
    return clipboard.readText();
  }

  clear(): void {
    clipboard.clear();
  }
}
