import type { DatabaseState } from '../../shared/ipc/views';

/** The notice's words, or null when there is nothing to say (exported for tests). */
export function databaseNotice(state: DatabaseState | undefined): { title: string; detail: string } | null {
  if (!state || (!state.busy && state.pendingWrites === 0)) return null;
  const waiting =
    state.pendingWrites === 0
      ? ''
      : ` ${state.pendingWrites} audit ${state.pendingWrites === 1 ? 'entry or note waits' : 'entries and notes wait'} to be written, in order, as soon as it is free.`;
  if (!state.busy) {
    return { title: 'Writing what waited for the database…', detail: waiting.trim() };
  }
  return {
    title: 'The database is busy (held by another program)',
    detail: `Another program (for example an app using the Zoho SDK with the same file) holds its write lock. Lists still load; saving a change fails with a clear message until it lets go.${waiting}`,
  };
}

/** Shown above every page while another program holds the database, or writes wait for it. */
export function DatabaseBusyNotice({ state }: { state: DatabaseState | undefined }) {
  const notice = databaseNotice(state);
  if (!notice) return null;
  return (
    <div className="db-notice" role="status" data-testid="database-busy">
      <strong className="db-notice__title">{notice.title}</strong>
      {notice.detail && <p className="db-notice__detail">{notice.detail}</p>}
    </div>
  );
}
