/** The Zoho simulator: Zoho Accounts + CRM on 127.0.0.1, one HTTP server per data center. */
export { type Clock, createManualClock, type ManualClock, systemClock } from './clock';
export { type ConsentResult, driveConsent } from './consent-driver';
export type { ExpiresInStyle } from './context';
export { DEFAULT_REDIRECT_URI, DEMO_CLIENT, DEMO_SELF_CLIENT, DEMO_USERS } from './demo-data';
export { simulatorEndpoints } from './endpoints';
export { LEGACY_THROTTLE_BODY, limits, THROTTLE_BODY } from './limits';
export {
  type SelfClientGrant,
  startZohoSimulator,
  type ZohoSimulator,
  type ZohoSimulatorOptions,
} from './simulator';
export type {
  FaultKind,
  FaultSpec,
  FaultType,
  SimClient,
  SimClientType,
  SimDataCenter,
  SimStats,
  SimUser,
} from './types';
