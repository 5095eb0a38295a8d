import { z } from 'zod';
import { DataCenterIdSchema, EnvironmentSchema } from '../../datacenters';
import {
  ClientNameResultSchema,
  clientNameField,
  TokenLabelResultSchema,
  tokenLabelField,
  tokenNoteField,
} from '../labels';
import { TokenJobActionSchema, TokenJobResultSchema } from '../token-jobs';
import { TokenListWireSchema } from '../token-list';
import {
  ClearAllResultSchema,
  DeleteResultSchema,
  GrantResultSchema,
  PendingRevokeRetrySchema,
  PendingRevokeViewSchema,
  TestCallResultSchema,
  TokenViewSchema,
} from '../views';
import { clientId, emptyRequest, flowId, tokenId as id, sourceIdField as sourceId } from './request-fields';

/** One token at a time: list, refresh, test, copy, delete, re-authorise, and its label and client name. */
export const tokenChannels = {
  /** Columns + dictionaries (token-list.ts), not TokenView[]: the renderer's api layer decodes it. */
  listTokens: {
    channel: 'tokens.list',
    request: z.object({ sourceId }).strict(),
    response: TokenListWireSchema,
  },
  refreshToken: {
    channel: 'tokens.refresh',
    request: z.object({ id, sourceId }).strict(),
    response: TokenViewSchema,
  },
  testToken: {
    channel: 'tokens.test',
    request: z.object({ id, sourceId }).strict(),
    response: TestCallResultSchema,
  },
  copyAccessToken: {
    channel: 'tokens.copyAccessToken',
    request: z.object({ id, sourceId }).strict(),
    response: z.object({
      copied: z.literal(true),
      expiresAt: z.number().nullable(),
      /** The token is on the clipboard; these say which side-write (the audit entry) failed. */
      warnings: z.array(z.string()).optional(),
    }),
  },
  deleteToken: {
    channel: 'tokens.delete',
    request: z
      .object({ id, sourceId, revoke: z.boolean(), deleteIfRevokeFails: z.boolean().default(false) })
      .strict(),
    response: DeleteResultSchema,
  },
  clearAllTokens: {
    channel: 'tokens.clearAll',
    request: z
      .object({
        sourceId,
        revoke: z.boolean(),
        /** The count the user saw and confirmed; main refuses if the store holds a different number. */
        expectedCount: z.number().int().min(0),
        /**
         * Off unless asked: a token whose revoke failed is kept (the only copy of a refresh token that may
         * still work). When on, such a row is deleted and its token kept as a pending revoke instead.
         */
        deleteIfRevokeFails: z.boolean().default(false),
      })
      .strict(),
    response: ClearAllResultSchema,
  },
  reauthorise: {
    channel: 'tokens.reauthorise',
    request: z.object({ id, flowId, sourceId }).strict(),
    response: GrantResultSchema,
  },
  /** Users already connected with this client, data center and environment: told before a sign-in. */
  connectedAccounts: {
    channel: 'tokens.connectedAccounts',
    request: z
      .object({
        clientId: z.string().trim().max(200),
        dataCenter: DataCenterIdSchema,
        environment: EnvironmentSchema,
      })
      .strict(),
    response: z.object({ userNames: z.array(z.string()) }),
  },
  /**
   * Work over many tokens (docs/health.md), one job at a time, paced for Zoho's limits, with
   * `tokens.jobProgress` events: Check all tests every token; the bulk actions act on the chosen ones.
   */
  checkAllTokens: {
    channel: 'tokens.checkAll',
    request: z.object({ sourceId }).strict(),
    response: TokenJobResultSchema,
  },
  runTokenJob: {
    channel: 'tokens.bulk',
    request: z
      .object({
        sourceId,
        action: TokenJobActionSchema.exclude(['check']),
        ids: z.array(id).min(1).max(100_000),
        /** Delete only: revoke at Zoho first (the default), and whether a failed revoke still deletes. */
        revoke: z.boolean().default(true),
        deleteIfRevokeFails: z.boolean().default(false),
      })
      .strict(),
    response: TokenJobResultSchema,
  },
  /** Tokens not started yet are not started; those in flight finish. */
  cancelTokenJob: {
    channel: 'tokens.cancelJob',
    request: z.object({ jobId: z.string().uuid() }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** The listed tokens (all when no ids) as CSV, without any secret; audited as an export. */
  exportTokenList: {
    channel: 'tokens.exportCsv',
    request: z.object({ sourceId, ids: z.array(id).max(100_000).optional() }).strict(),
    response: z.object({ csv: z.string(), count: z.number().int() }),
  },
  /** A token's label and note (docs/labels.md): both sent, blank clears one; audited. */
  setTokenLabel: {
    channel: 'tokens.setLabel',
    request: z.object({ id, sourceId, label: tokenLabelField, note: tokenNoteField }).strict(),
    response: TokenLabelResultSchema,
  },
  /** Names an OAuth client (the integration it belongs to) for every token that uses it; blank removes it. */
  setClientName: {
    channel: 'clients.setName',
    request: z.object({ clientId, name: clientNameField }).strict(),
    response: ClientNameResultSchema,
  },
  listPendingRevokes: {
    channel: 'pendingRevokes.list',
    request: emptyRequest,
    response: z.array(PendingRevokeViewSchema),
  },
  retryPendingRevoke: {
    channel: 'pendingRevokes.retry',
    request: z.object({ id: z.string().min(1).max(80) }).strict(),
    response: PendingRevokeRetrySchema,
  },
} as const;
