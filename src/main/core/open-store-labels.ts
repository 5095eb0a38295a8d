import type { TestCallResult } from '../../shared/ipc/views';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { annotate, SqliteTokenLabels, type TokenAnnotation } from '../tokens/token-labels';
import type { OpenStore, StoreLifecycle } from './store-lifecycle';

const log = createLogger('app.labels');

/** The id labels are kept under (docs/labels.md): the configured source's id, `local` for this computer. */
export function labelSourceId(sourceId: string | undefined): string {
  return sourceId ?? 'local';
}

/**
 * Client names, token labels and notes, and the organisation a test reached (docs/labels.md), on the
 * unlocked store: its tables are opened on first use, once per store, and what the token handlers call
 * so a list shows them, a test keeps its organisation and a deleted token takes its label along. Those
 * steps are side-writes: a failure is logged, never turned into the failure of the token action.
 */
export class OpenStoreLabels {
  private readonly opened = new WeakMap<OpenStore, Promise<SqliteTokenLabels>>();

  constructor(
    private readonly lifecycle: Pick<StoreLifecycle, 'require'>,
    private readonly now: () => number,
  ) {}

  /** The open store's labels; throws while locked. */
  labels(): Promise<SqliteTokenLabels> {
    const open = this.lifecycle.require();
    let found = this.opened.get(open);
    if (!found) {
      found = SqliteTokenLabels.open(open.store.database, this.now);
      // A failed open (database busy past the bound) is tried again next time.
      found.catch(() => this.opened.delete(open));
      this.opened.set(open, found);
    }
    return found;
  }

  /** A source's listed tokens with their client names, labels, notes and organisations. */
  async annotate<
    V extends {
      readonly id: string;
      readonly clientId: string | null;
      readonly lastTest: TestCallResult | null;
    },
  >(sourceId: string | undefined, views: readonly V[]): Promise<(V & TokenAnnotation)[]> {
    const labels = await this.labels();
    return annotate(views, labels.annotations(labelSourceId(sourceId)), (v) => v.lastTest?.orgName ?? null);
  }

  /** After a test call: keeps the organisation it reached; the result passes through. */
  async tested(sourceId: string | undefined, id: string, result: TestCallResult): Promise<TestCallResult> {
    if (result.orgName !== null) {
      await this.sideWrite('keep the organisation of a test call', async () =>
        (await this.labels()).recordOrgName(labelSourceId(sourceId), id, result.orgName ?? ''),
      );
    }
    return result;
  }

  /** After a delete or clear: the deleted tokens' labels go too. */
  async deleted(
    sourceId: string | undefined,
    results: readonly { readonly id: string; readonly deleted: boolean }[],
  ): Promise<void> {
    await this.sideWrite('forget the labels of deleted tokens', async () => {
      const labels = await this.labels();
      for (const r of results) if (r.deleted) labels.forget(labelSourceId(sourceId), r.id);
    });
  }

  /** A source removed from the console: its labels go (its tokens stay where they are). */
  async sourceRemoved(sourceId: string): Promise<void> {
    await this.sideWrite('forget the labels of a removed source', async () =>
      (await this.labels()).forgetSource(sourceId),
    );
  }

  private async sideWrite(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      log.warn(`could not ${what}`, { errorCode: errorCodeOf(error) });
    }
  }
}
