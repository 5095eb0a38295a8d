import type { Clipboard } from '../clipboard';

/** A clipboard in memory: tests read what a copy put there (`text`) and what a clear left. */
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
