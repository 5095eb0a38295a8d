import { z } from 'zod';
import { GrantResultSchema } from '../views';
import { accountFields, flowId, scopes } from './request-fields';

/** The three ways to add an account (docs/architecture.md "Data flow"; the flows live in src/main/oauth). */
export const signInChannels = {
  signInWithBrowser: {
    channel: 'signin.browser',
    request: z.object({ flowId, ...accountFields, scopes }).strict(),
    response: GrantResultSchema,
  },
  cancelSignIn: {
    channel: 'signin.cancel',
    request: z.object({ flowId }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  signInWithGrantCode: {
    channel: 'signin.selfClient',
    request: z.object({ ...accountFields, grantCode: z.string().trim().min(1).max(500) }).strict(),
    response: GrantResultSchema,
  },
  importRefreshToken: {
    channel: 'signin.importRefreshToken',
    request: z.object({ ...accountFields, refreshToken: z.string().trim().min(1).max(500) }).strict(),
    response: GrantResultSchema,
  },
} as const;
