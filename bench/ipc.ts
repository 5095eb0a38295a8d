/**
 * `npm run bench -- ipc`: the whole `listTokens` round trip for 10,000 tokens as main runs it, through
 * the real IPC router: `router.dispatch('listTokens', {}, sender)` (TokenService.list over the encrypted
 * SQLite store, the notes read, the view building, the encoding into the compact wire form of
 * src/shared/ipc/token-list.ts, the response schema check) plus `JSON.stringify` of the result, standing
 * in for Electron's structured clone. Also printed: the payload size against TokenView[] as objects, and
 * the renderer's decode. Cold = the first list after the store is opened; warm = later lists. The list
 * decrypts nothing either way (docs/storage.md "Listing without secrets"): every row comes from its
 * group's row snapshot, or is checked by its own listing MAC where none matches (the first cold run
 * snapshots them).
 * Targets: "in main" (router.dispatch: list, encode, response check) under 50 ms cold; the round trip
 * with JSON under 100 ms.
 * Both response-check modes are shown: `strict` (dev and tests) and `strip` (packaged app).
 * Prints medians and the machine's load; asserts nothing (docs/architecture.md "Tests", tier 4).
 */
import { loadavg } from 'node:os';
import { SqliteAuditLog } from '../src/main/audit/sqlite-audit-log';
import { createIpcRouter, type IpcHandlers, type ResponseCheck } from '../src/main/ipc/router';
import { setLogSink } from '../src/main/log';
import { SqliteTokenStore } from '../src/main/store/sqlite-token-store';
import { testProtector } from '../src/main/store/test-support/temp-store';
import { startServiceHarness } from '../src/main/tokens/test-support/service-harness';
import { SqliteTokenNotes } from '../src/main/tokens/token-notes';
import { TokenService } from '../src/main/tokens/token-service';
import { zohoFor } from '../src/main/zoho';
import { ipcContract } from '../src/shared/ipc/contract';
import { decodeTokenList, encodeTokenList, type TokenListWire } from '../src/shared/ipc/token-list';
import type { TokenView } from '../src/shared/ipc/views';

const LIST_SIZE = 10_000;
const COLD_RUNS = 7;
const WARM_RUNS = 15;
/** The whole round trip, JSON included. */
const TARGET_MS = 100;
/** What main does for one list (router.dispatch), cold. */
const IN_MAIN_TARGET_MS = 50;
const SENDER = { url: 'app://tokendesk/index.html' };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : (sorted[mid] ?? 0);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Only listTokens is wired; any other call is a bench bug and fails loudly. */
function listOnlyHandlers(service: TokenService): IpcHandlers {
  const handlers = Object.fromEntries(
    Object.keys(ipcContract).map((m) => [
      m,
      () => {
        throw new Error(`bench: ${m} is not wired`);
      },
    ]),
  ) as unknown as Record<string, unknown>;
  handlers.listTokens = async () => encodeTokenList(await service.list());
  return handlers as unknown as IpcHandlers;
}

/** Bytes on the wire (as JSON) against the same list as one object per token. */
function payloadFigures(objects: readonly TokenView[], wire: TokenListWire): string {
  const asObjects = JSON.stringify(objects).length;
  const compact = JSON.stringify(wire).length;
  const n = Math.max(1, wire.count);
  return `  payload: ${(compact / 1e6).toFixed(2)} MB, ${(compact / n).toFixed(0)} bytes per token (TokenView[] as objects: ${(asObjects / 1e6).toFixed(2)} MB, ${(asObjects / n).toFixed(0)} bytes per token; ${((1 - compact / asObjects) * 100).toFixed(0)}% less)`;
}

export async function run(): Promise<void> {
  const restoreSink = setLogSink(() => {});
  const h = await startServiceHarness();
  const loadBefore = load();
  try {
    // 10,000 rows: bulk-load through the store (fsync per commit is not what this measures).
    const template = await h.stored('bench@example.com');
    h.store.database.pragma('synchronous = OFF');
    for (let i = 0; i < LIST_SIZE - 1; i++) {
      await h.store.saveToken({ ...template, id: null, userName: `user${i}@example.com`, createdAt: null });
    }
    h.store.database.pragma('synchronous = FULL');
    const path = h.store.database.name;

    /** A fresh connection, store, service and router: what the app has right after an unlock. */
    async function openApp(mode: ResponseCheck) {
      const store = await SqliteTokenStore.open({ path, protector: testProtector() });
      const service = new TokenService({
        store,
        zoho: zohoFor(() => h.clients),
        audit: new SqliteAuditLog(store.database, h.clock),
        notes: new SqliteTokenNotes(store.database),
        clipboard: h.clipboard,
        clock: h.clock,
      });
      const router = createIpcRouter(listOnlyHandlers(service), {
        isAllowedSender: () => true,
        responseCheck: mode,
      });
      return { store, service, router };
    }

    /** The round trip in ms; `inMain` receives the router.dispatch part. */
    async function roundTrip(router: ReturnType<typeof createIpcRouter>, inMain?: number[]): Promise<number> {
      const t0 = performance.now();
      const result = await router.dispatch('listTokens', {}, SENDER);
      inMain?.push(performance.now() - t0);
      JSON.stringify(result);
      const ms = performance.now() - t0;
      if (!result.ok || (result.value as TokenListWire).count !== LIST_SIZE) {
        throw new Error(`bench: listTokens failed: ${JSON.stringify(result).slice(0, 200)}`);
      }
      return ms;
    }

    const lines: string[] = [];
    let payload = '';
    for (const mode of ['strict', 'strip'] as const) {
      const cold: number[] = [];
      const coldInMain: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const app = await openApp(mode);
        try {
          cold.push(await roundTrip(app.router, coldInMain));
        } finally {
          app.store.close();
        }
      }
      const app = await openApp(mode);
      const warm: number[] = [];
      const parts = {
        list: [] as number[],
        encode: [] as number[],
        check: [] as number[],
        json: [] as number[],
        decode: [] as number[],
      };
      try {
        await roundTrip(app.router); // the first list after open: measured above
        for (let i = 0; i < WARM_RUNS; i++) warm.push(await roundTrip(app.router));
        if (mode === 'strict') {
          // Where a warm round trip goes: service list, encode, router (check + wrap) on a ready answer,
          // JSON; and, on the renderer's side, the decode back into TokenViews.
          let ready = encodeTokenList(await app.service.list());
          const check = createIpcRouter(
            { ...listOnlyHandlers(app.service), listTokens: () => ready },
            { isAllowedSender: () => true, responseCheck: mode },
          );
          for (let i = 0; i < WARM_RUNS; i++) {
            let t0 = performance.now();
            const views = await app.service.list();
            parts.list.push(performance.now() - t0);
            t0 = performance.now();
            ready = encodeTokenList(views);
            parts.encode.push(performance.now() - t0);
            t0 = performance.now();
            const result = await check.dispatch('listTokens', {}, SENDER);
            parts.check.push(performance.now() - t0);
            t0 = performance.now();
            const json = JSON.stringify(result);
            parts.json.push(performance.now() - t0);
            const wire = (JSON.parse(json) as { value: TokenListWire }).value;
            t0 = performance.now();
            decodeTokenList(wire);
            parts.decode.push(performance.now() - t0);
          }
          payload = payloadFigures(decodeTokenList(ready), ready);
        }
      } finally {
        app.store.close();
      }
      const against = (ms: number, target: number) =>
        `${ms < target ? 'met' : 'MISSED'}  ${fmt(ms)} against ${target} ms (${(ms / target).toFixed(2)}x the target)`;
      lines.push(
        `  ${against(median(coldInMain), IN_MAIN_TARGET_MS)}: listTokens in main (router.dispatch), ${mode}, cold (first after open): median, best ${fmt(Math.min(...coldInMain))} over ${COLD_RUNS} opens`,
        `  ${against(median(cold), TARGET_MS)}: listTokens round trip with JSON, ${mode}, cold: median, best ${fmt(Math.min(...cold))}`,
        `  ${against(median(warm), TARGET_MS)}: listTokens round trip with JSON, ${mode}, warm: median, best ${fmt(Math.min(...warm))} over ${WARM_RUNS} runs`,
      );
      if (parts.list.length > 0) {
        lines.push(
          `        warm parts: TokenService.list ${fmt(median(parts.list))}, encode ${fmt(median(parts.encode))}, router check ${fmt(median(parts.check))}, JSON ${fmt(median(parts.json))} (medians); renderer decode ${fmt(median(parts.decode))}`,
        );
      }
    }
    console.log(
      `listTokens of ${LIST_SIZE.toLocaleString('en')} tokens via router.dispatch + JSON.stringify (targets: in main under ${IN_MAIN_TARGET_MS} ms cold, round trip under ${TARGET_MS} ms)`,
    );
    for (const line of lines) console.log(line);
    if (payload) console.log(payload);
    console.log(`  load average (1, 5, 15 min): before ${loadBefore}, after ${load()}`);
  } finally {
    await h.close();
    restoreSink();
  }
}
