import type { SimClient, SimUser } from './types';

/**
 * Fixed demo registrations, so `npm run sim` and the app's demo mode agree without configuration.
 * These are simulator-only values, not real Zoho credentials.
 */
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export const DEMO_CLIENT: SimClient = {
  clientId: '1000.DEMOTOKENDESKSIMCLIENT00000001',
  clientSecret: 'd4fdb983f3b5819715b6cfef9e6c5b28dc800acc38',
  name: 'TokenDesk (demo)',
  type: 'server-based',
  redirectUris: [DEFAULT_REDIRECT_URI],
};

export const DEMO_SELF_CLIENT: SimClient = {
  clientId: '1000.DEMOTOKENDESKSELFCLIENT0000001',
  clientSecret: '364e7af0ee2439f88a07fe6e7fbe82cc0032b9dcd0',
  name: 'TokenDesk Self Client (demo)',
  type: 'self-client',
  redirectUris: [],
};

export const DEMO_USERS: readonly SimUser[] = [
  {
    email: 'admin@demo-us.example.com',
    fullName: 'Dana Admin',
    zuid: '700000001',
    dataCenter: 'US',
    orgName: 'Demo Corp (US)',
  },
  {
    email: 'admin@demo-eu.example.com',
    fullName: 'Elena Europa',
    zuid: '700000002',
    dataCenter: 'EU',
    orgName: 'Demo GmbH (EU)',
  },
];
