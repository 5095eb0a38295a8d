import { z } from 'zod';
import { AppStatusSchema, StoreChangeResultSchema } from '../views';
import { emptyRequest, newPassphrase } from './request-fields';

/** The store's life (docs/store-lifecycle.md): status, first set-up, unlock, lock and its protectors. */
export const storeChannels = {
  getStatus: { channel: 'app.status', request: emptyRequest, response: AppStatusSchema },
  setupStore: {
    channel: 'store.setup',
    // `startOver`: the person chose to replace a store that is missing or empty (AppStatus.missingStore).
    request: z.discriminatedUnion('protector', [
      z.object({ protector: z.literal('keychain'), startOver: z.literal(true).optional() }).strict(),
      z
        .object({
          protector: z.literal('passphrase'),
          passphrase: newPassphrase,
          startOver: z.literal(true).optional(),
        })
        .strict(),
    ]),
    response: StoreChangeResultSchema,
  },
  unlockStore: {
    channel: 'store.unlock',
    request: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    response: StoreChangeResultSchema,
  },
  /** A keychain-protected store locked in this run opens again only when the person asks (never by itself). */
  unlockWithKeychain: {
    channel: 'store.unlockWithKeychain',
    request: emptyRequest,
    response: StoreChangeResultSchema,
  },
  /** Locks now: running token actions finish first, then every decrypted row and key is dropped. */
  lockStore: { channel: 'store.lock', request: emptyRequest, response: AppStatusSchema },
  /** The person used the window (key, click, scroll): restarts the auto-lock countdown. Throttled by the renderer. */
  noteActivity: {
    channel: 'store.activity',
    request: emptyRequest,
    response: z.object({ noted: z.literal(true) }),
  },
  changePassphrase: {
    channel: 'store.changePassphrase',
    request: z.object({ current: z.string().min(1).max(1024), next: newPassphrase }).strict(),
    response: z.object({ changed: z.literal(true), warning: z.string().nullable() }),
  },
  /** A keychain store also opens with this passphrase (the `tokendesk` command has no keychain). */
  addStorePassphrase: {
    channel: 'store.addPassphrase',
    request: z.object({ passphrase: newPassphrase }).strict(),
    response: z.object({ added: z.literal(true), warning: z.string().nullable() }),
  },
  /** The keychain store's second passphrase is removed, under a fresh data key. */
  removeStorePassphrase: {
    channel: 'store.removePassphrase',
    request: emptyRequest,
    response: z.object({ removed: z.literal(true), warning: z.string().nullable() }),
  },
} as const;
