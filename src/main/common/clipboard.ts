import { AppError } from '../errors';

/**
 * The system clipboard; the edge implements it with Electron's `clipboard`. A process with no window has
 * none (`NoClipboard`); tests use the test-support `MemoryClipboard`.
 */
export interface Clipboard {
  /** Electron's resolves once the text is on the clipboard; a caller awaits it before saying "copied". */
  writeText(text: string): Promise<void> | void;
  /**
   * The clipboard's text now ('' when it holds none): a copied token is cleared only if still there.
   * Async, like Electron's (and the W3C) `readText`.
   */
  readText(): Promise<string>;
  clear(): void;
}

/**
 * The clipboard of a process with no window (the CLI, an SDK server on a team store): there is nowhere
 * to copy a token to, so a copy is refused in plain words and nothing is reported or audited as copied.
 */
export class NoClipboard implements Clipboard {
  writeText(): never {
    throw new AppError('NO_CLIPBOARD', 'This process has no clipboard to copy a token to.', {
      hint: 'Copy the access token from the TokenDesk window.',
    });
  }

  async readText(): Promise<string> {
    return '';
  }

  clear(): void {}
}
