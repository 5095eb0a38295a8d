import type { DataCenterId } from '../../shared/datacenters';
import type { AppStatus } from '../../shared/ipc/views';
import type { BrowserOpener } from '../oauth';
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
  /**
   * Registers a redirect URI on a client, as an admin does in Zoho's API console. Optional: a harness
   * that registers its own loopback URI up front need not offer it.
   */
  allowRedirectUri?(clientId: string, redirectUri: string): void;
  close(): Promise<void>;
}

/**
 * The demo part of AppStatus: the simulator's browser-flow client once it runs, so a newcomer can paste
 * it; before that, `running: false` when demo mode can be started (the renderer then offers it), else null.
 */
export function demoStatus(sim: DemoSimulator | null, offered: boolean): AppStatus['demo'] {
  if (!sim) {
    return offered
      ? { running: false, clientId: null, clientSecret: null, redirectUri: null, users: [], dataCenters: [] }
      : null;
  }
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

/**
 * Opens consent pages as `opener` does; for the demo simulator's consent page it first registers the
 * loopback URI the sign-in really listens on. The simulator checks redirect URIs exactly, as Zoho does,
 * and in demo mode the settings' port (or the free one taken when it was busy) may not be the default
 * the demo client was registered with.
 */
export function demoAwareOpener(opener: BrowserOpener, simulator: () => DemoSimulator | null): BrowserOpener {
  return {
    open(url) {
      const sim = simulator();
      const target = new URL(url);
      const clientId = target.searchParams.get('client_id');
      const redirectUri = target.searchParams.get('redirect_uri');
      const toSimulator = sim?.dataCenters.some((d) => new URL(d.accountsUrl).origin === target.origin);
      if (sim && toSimulator && clientId && redirectUri) sim.allowRedirectUri?.(clientId, redirectUri);
      return opener.open(url);
    },
  };
}
