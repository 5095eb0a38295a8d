import { randomBytes, randomInt } from 'node:crypto';

/** Zoho token shape: `1000.<32 hex>.<32 hex>` (access, refresh and grant tokens all look like this). */
export function newZohoToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

const CLIENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Zoho client ids look like `1000.` followed by 30 upper-case letters and digits. */
export function newClientId(): string {
  let out = '1000.';
  for (let i = 0; i < 30; i++) out += CLIENT_ID_ALPHABET[randomInt(CLIENT_ID_ALPHABET.length)];
  return out;
}

/** Zoho client secrets are 42 lower-case hex characters. */
export function newClientSecret(): string {
  return randomBytes(21).toString('hex');
}

/** CRM record ids are long decimal numbers. */
export function newCrmId(): string {
  return `${randomInt(1, 9)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}
