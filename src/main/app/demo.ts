import type { DataCenterId } from '../../shared/datacenters';
import type { AppStatus } from '../../shared/ipc/views';
import type { LocalDataCenter } from '../zoho';

/** What the core needs of a running Zoho simulator (the simulator's `ZohoSimulator` fits). */
export interface DemoSimulator {
  readonly dataCenters: readonly LocalDataCenter[];
  readonly clients: readonly {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly type: string;
    readonly redirectUris: readonly string[];
  }[];
  readonly users: readonly { readonly email: string }[];
  close(): Promise<void>;
}

/** The demo part of AppStatus: the simulator's browser-flow client, so a newcomer can paste it. */
export function demoStatus(sim: DemoSimulator | null): AppStatus['demo'] {
  if (!sim) return null;
  const client = sim.clients.find((c) => c.type !== 'self-client') ?? sim.clients[0];
  return {
    running: true,
    clientId: client?.clientId ?? null,
    clientSecret: client?.clientSecret ?? null,
    redirectUri: client?.redirectUris[0] ?? null,
    users: sim.users.map((u) => u.email),
    dataCenters: sim.dataCenters.map((d) => d.id as DataCenterId),
  };
}
