import type { TokenView } from '../../shared/ipc/views';

/**
 * Every fetch of the token list goes through one of these (one per QueryClient), so that a burst of
 * `tokens.changed` pushes, a mutation's own refetch and the start-up fetch cost one `listTokens` call
 * where one is enough. At 10,000 tokens a list is a full read in main plus the transfer and the decode;
 * TanStack's default (`invalidateQueries` cancels the fetch in flight and starts another) would pay that
 * once per event, and main still does the cancelled work.
 *
 * The rule: a change needs a list fetched after it. A fetch in flight that started after the latest
 * change already covers it; one that started before is left to finish and followed by exactly one more.
 * Changes arriving together (one task after another) are handled once.
 */
export class TokenListSync {
  private changes = 0;
  /** The change count the newest completed fetch had seen when it started. */
  private covered = 0;
  private inFlight: { readonly seen: number; readonly settled: Promise<void> } | null = null;
  private scheduled = false;
  private waiting = false;

  constructor(
    /** Fetches the list (the IPC call and its decode). */
    private readonly load: () => Promise<TokenView[]>,
    /** Asks TanStack to refetch the list query (or to mark it stale when nothing shows it). */
    private readonly refetch: () => void,
    private readonly defer: (run: () => void) => void = (run) => {
      setTimeout(run, 0);
    },
  ) {}

  /** How many changes have been reported so far (a mutation compares it before and after its call). */
  get changeCount(): number {
    return this.changes;
  }

  /** The list query's `queryFn`: every fetch of the list goes through here. */
  fetch(): Promise<TokenView[]> {
    const seen = this.changes;
    const result = this.load();
    const settled = result.then(
      () => {
        if (seen > this.covered) this.covered = seen;
      },
      () => {},
    );
    const entry = { seen, settled };
    this.inFlight = entry;
    void settled.then(() => {
      if (this.inFlight === entry) this.inFlight = null;
    });
    return result;
  }

  /** Tokens changed in main: a list fetched after now will follow (once for a burst). */
  changed(): void {
    this.changes += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const wanted = this.changes;
    if (this.covered >= wanted) return;
    const running = this.inFlight;
    if (running && running.seen >= wanted) return;
    if (running) {
      // Cancelling it would not stop main's work; let it land, then fetch once more.
      if (!this.waiting) {
        this.waiting = true;
        void running.settled.then(() => {
          this.waiting = false;
          this.flush();
        });
      }
      return;
    }
    this.refetch();
  }
}
