import { randomBytes } from 'node:crypto';

/** Zoho token shape: `1000.<32 hex>.<32 hex>` (access, refresh and grant tokens all look like this). */
export function newZohoToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}
