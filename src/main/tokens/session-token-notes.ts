import type { TestCallResult } from '../../shared/ipc/views';
import { EMPTY_NOTE, type TokenNote, type TokenNotes } from './token-notes';

/**
 * Notes kept in memory while the app runs, for tokens whose store has nowhere to keep them: an SDK
 * FileStore, a MySQL or SQLite table (docs/sources.md), or the team store in a windowless process. The
 * last test call and "sign in again" are then known for this session only.
 */
export class SessionTokenNotes implements TokenNotes {
  private readonly notes = new Map<string, TokenNote>();

  all(): ReadonlyMap<string, TokenNote> {
    return new Map(this.notes);
  }

  get(id: string): TokenNote | null {
    return this.notes.get(id) ?? null;
  }

  setLastTest(id: string, result: TestCallResult): void {
    this.notes.set(id, { ...(this.notes.get(id) ?? EMPTY_NOTE), lastTest: result });
  }

  setReauthRequired(id: string, required: boolean): void {
    this.notes.set(id, { ...(this.notes.get(id) ?? EMPTY_NOTE), reauthRequired: required });
  }

  delete(id: string): void {
    this.notes.delete(id);
  }
}
