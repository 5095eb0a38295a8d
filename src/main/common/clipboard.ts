/** The system clipboard; the edge implements it with Electron's `clipboard`, tests with `MemoryClipboard`. */
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

export class MemoryClipboard implements Clipboard {
  text: string | null = null;

  writeText(text: string): void {
    this.text = text;
  }

  async readText(): Promise<string> {
    return this.text ?? '';
  }

  clear(): void {
    this.text = null;
  }
}
