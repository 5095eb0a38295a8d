import type { TokenView } from '../views';

/**
 * A token as the window lists it, with nothing known but a US production token that is valid: every other
 * field null or empty. Tests name only the fields they are about in `overrides`.
 */
export function blankTokenView(overrides: Partial<TokenView> = {}): TokenView {
  return {
    id: 'id',
    userName: null,
    clientId: null,
    dataCenter: 'US',
    environment: 'production',
    apiDomain: null,
    scopes: [],
    status: 'valid',
    accessTokenPreview: null,
    refreshTokenPreview: null,
    expiresAt: null,
    createdAt: null,
    updatedAt: null,
    lastRefreshedAt: null,
    lastError: null,
    lastTest: null,
    clientName: null,
    label: null,
    note: null,
    orgName: null,
    ...overrides,
  };
}
