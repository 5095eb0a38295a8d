import { z } from 'zod';
import {
  PLAINTEXT_CONFIRMATION,
  SourceHealthSchema,
  SourceSettingsSchema,
  SourceViewSchema,
  TransferResultSchema,
} from '../sources';
import { sourceIdField, tokenId } from './request-fields';

const savedSourceId = z.string().min(1).max(80);

/** Token sources (docs/sources.md): the SDK stores an integration uses, beside the local store. */
export const sourceChannels = {
  listSources: {
    channel: 'sources.list',
    // `health: false`: names only, no source opened or read (the token table reads each source's list
    // itself, and that list says how the source is).
    request: z.object({ health: z.boolean().optional() }).strict(),
    response: z.array(SourceViewSchema),
  },
  testSource: {
    channel: 'sources.test',
    request: z.object({ settings: SourceSettingsSchema, id: sourceIdField }).strict(),
    response: SourceHealthSchema,
  },
  addSource: {
    channel: 'sources.add',
    request: z.object({ settings: SourceSettingsSchema }).strict(),
    response: SourceViewSchema,
  },
  updateSource: {
    channel: 'sources.update',
    request: z.object({ id: savedSourceId, settings: SourceSettingsSchema }).strict(),
    response: SourceViewSchema,
  },
  removeSource: {
    channel: 'sources.remove',
    request: z.object({ id: savedSourceId }).strict(),
    response: z.object({ removed: z.literal(true) }),
  },
  transferTokens: {
    channel: 'sources.transfer',
    request: z
      .object({
        fromSourceId: savedSourceId,
        toSourceId: savedSourceId,
        /** Absent: every token of the source. */
        ids: z.array(tokenId).max(100_000).optional(),
        move: z.boolean().default(false),
        /** Typed by the person when the destination keeps secrets in plaintext. */
        confirmation: z.literal(PLAINTEXT_CONFIRMATION).optional(),
      })
      .strict(),
    response: TransferResultSchema,
  },
} as const;
