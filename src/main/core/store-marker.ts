import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProtectorChoice } from './store-files';

/**
 * `store.json`, beside the database: written once a store has been created here, so a later start can
 * tell a first run (no note, no store) from a store that has gone missing or been emptied (a note, but
 * no store): the second must never be treated as a first run. It also says which protector to ask for,
 * and keeps the count of wrong passphrases in a row, so the unlock back-off survives a restart.
 */
const MarkerSchema = z.object({
  version: z.literal(1),
  protector: z.enum(['keychain', 'passphrase']),
  unlockFailures: z.object({ count: z.number().int().min(0), lastAt: z.number() }).optional(),
});
export type StoreMarker = z.infer<typeof MarkerSchema>;

export type MarkerRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly marker: StoreMarker }
  /** Present but unreadable: a store was set up here; which protector is unknown. */
  | { readonly kind: 'unreadable' };

export function readMarker(path: string): MarkerRead {
  if (!existsSync(path)) return { kind: 'absent' };
  try {
    return { kind: 'present', marker: MarkerSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** Replaces the note in one rename, so a crash leaves the old note or the new one, never half of one. */
export function writeMarker(path: string, marker: StoreMarker): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify(marker), { mode: 0o600 });
  renameSync(temp, path);
}

export function markerFor(protector: ProtectorChoice): StoreMarker {
  return { version: 1, protector };
}
