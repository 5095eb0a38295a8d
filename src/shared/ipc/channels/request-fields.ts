import { z } from 'zod';
import { DataCenterIdSchema, EnvironmentSchema } from '../../datacenters';

/**
 * Request fields more than one area's channels take, written once so a bound (an id's length, a
 * passphrase's minimum) means the same on every channel (docs/architecture.md "The IPC contract": requests
 * are strict objects with bounded strings).
 */
export const tokenId = z.string().min(1).max(40);
export const flowId = z.string().uuid();
export const clientId = z.string().trim().min(1).max(200);
const clientSecret = z.string().trim().min(1).max(500);
export const scopes = z.array(z.string().trim().min(1).max(200)).min(1).max(50);
/** The client and place a sign-in is for: every sign-in flow asks for these four. */
export const accountFields = {
  dataCenter: DataCenterIdSchema,
  environment: EnvironmentSchema,
  clientId,
  clientSecret,
};
export const newPassphrase = z.string().min(8, 'Use at least 8 characters.').max(1024);
export const emptyRequest = z.object({}).strict();
/** Which token source an action is for (`local`, the encrypted store, when absent). */
export const sourceIdField = z.string().min(1).max(80).optional();
