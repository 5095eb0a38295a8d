/** The system clipboard; the edge implements it with Electron's `clipboard`, tests with `MemoryClipboard`. */
export interface Clipboard {
  writeText(text: string): void;
}

export class MemoryClipboard implements Clipboard {
  text: string | null = null;

  writeText(text: string): void {
    this.text = text;
  }
}
