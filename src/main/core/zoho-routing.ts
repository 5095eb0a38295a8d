import type { Clock } from '../common/clock';
import type { BrowserOpener } from '../oauth';
import { type AccountResolver, accountResolverFor } from '../sources/account-from-api-domain';
import { ServiceError } from '../tokens/errors';
import {
  createZohoClients,
  type FetchLike,
  localEndpoints,
  type ZohoClients,
  type ZohoEndpoints,
  type ZohoFor,
  zohoFor,
} from '../zoho';
import { type DemoSimulator, demoAwareOpener } from './demo';

export interface ZohoRoutingOptions {
  readonly endpoints: ZohoEndpoints;
  readonly clock: Clock;
  readonly browserOpener: BrowserOpener;
  readonly httpTimeoutMs?: number;
  readonly fetch?: FetchLike;
}

/**
 * Which Zoho each request goes to: Zoho's real hosts, or the demo simulator while demo mode runs
 * (docs/architecture.md "Token rules"; a token keeps the API domain it was issued at). Owns the running
 * simulator: `close()` stops it.
 */
export class ZohoRouting {
  readonly zoho: ZohoClients;
  private simulatorRun: { readonly simulator: DemoSimulator; readonly clients: ZohoClients } | null = null;
  private resolver: { demo: ZohoClients | null; resolve: AccountResolver } | null = null;
  /** Token calls (refresh, revoke, test) for a stored token, routed by its API domain. */
  readonly tokenZoho: ZohoFor;
  /** Opens consent pages; registers the loopback redirect URI with the simulator first. */
  readonly opener: BrowserOpener;

  constructor(private readonly options: ZohoRoutingOptions) {
    this.zoho = this.buildClients(options.endpoints);
    this.tokenZoho = zohoFor((apiDomain) => this.clientsFor(apiDomain));
    this.opener = demoAwareOpener(options.browserOpener, () => this.simulator);
  }

  get simulator(): DemoSimulator | null {
    return this.simulatorRun?.simulator ?? null;
  }

  /** The simulator's clients while demo mode runs. */
  get demo(): ZohoClients | null {
    return this.simulatorRun?.clients ?? null;
  }

  /** From now on tokens issued at `simulator` and its own clients' sign-ins go to it. */
  routeToSimulator(simulator: DemoSimulator): void {
    this.simulatorRun = { simulator, clients: this.buildClients(localEndpoints(simulator.dataCenters)) };
  }

  /** Where a stored token with this API domain talks to (see `clientsFor` below). */
  clientsFor(apiDomain: string | null): ZohoClients {
    return clientsFor(apiDomain, this.zoho, this.demo);
  }

  isFromEndedDemoRun(apiDomain: string | null): boolean {
    return isFromEndedDemoRun(apiDomain, this.zoho, this.demo);
  }

  /**
   * Where a new account signs in: at the simulator for one of the simulator's own clients while demo mode
   * runs, at Zoho otherwise, so a real client id and secret typed in during demo mode still go to Zoho.
   */
  newSignInClients(clientId: string): ZohoClients {
    const simulatorClient = this.simulator?.clients.some((c) => c.clientId === clientId) ?? false;
    const demo = this.demo;
    return simulatorClient && demo ? demo : this.zoho;
  }

  /** The account an API domain belongs to, for token sources (docs/sources.md); knows the simulator's too. */
  readonly resolveAccount: AccountResolver = (apiDomain) => {
    const demo = this.demo;
    if (this.resolver?.demo !== demo || !this.resolver) {
      const endpoints = [this.zoho.endpoints, ...(demo ? [demo.endpoints] : [])];
      this.resolver = { demo, resolve: accountResolverFor(endpoints) };
    }
    return this.resolver.resolve(apiDomain);
  };

  /** Origins of the running simulator (the edge's external-URL policy allows them in demo mode). */
  simulatorOrigins(): string[] {
    const simulator = this.simulator;
    return simulator ? simulator.dataCenters.map((d) => new URL(d.accountsUrl).origin) : [];
  }

  /** Stops the simulator if it runs. */
  async close(): Promise<void> {
    const run = this.simulatorRun;
    if (!run) return;
    await run.simulator.close();
    this.simulatorRun = null;
  }

  private buildClients(endpoints: ZohoEndpoints): ZohoClients {
    const { clock, httpTimeoutMs, fetch } = this.options;
    return createZohoClients({
      endpoints,
      now: () => clock.now(),
      ...(httpTimeoutMs !== undefined ? { timeoutMs: httpTimeoutMs } : {}),
      ...(fetch ? { fetch } : {}),
    });
  }
}

/**
 * Which Zoho a stored token talks to. A token issued by the demo simulator keeps the simulator's loopback
 * API domain: it goes to the simulator while demo mode runs, and nowhere otherwise (its client and tokens
 * mean nothing to Zoho). Every other token goes to Zoho, demo mode or not.
 */
export function clientsFor(
  apiDomain: string | null,
  zoho: ZohoClients,
  demo: ZohoClients | null,
): ZohoClients {
  if (apiDomain === null || zoho.endpoints.isTrustedApiDomain(apiDomain)) return zoho;
  if (demo?.endpoints.isTrustedApiDomain(apiDomain)) return demo;
  if (isFromEndedDemoRun(apiDomain, zoho, demo)) {
    throw new ServiceError(
      'DEMO_TOKEN_ORPHANED',
      'This token was issued by a run of the built-in Zoho simulator that has ended; the simulator keeps its tokens only while it runs.',
      { hint: 'Delete it without revoking, then add a demo account again.' },
    );
  }
  return zoho;
}

/**
 * A token the list shows as "from an earlier demo run": its API domain is a loopback origin that neither
 * Zoho's endpoints nor the running simulator's trust. Starting demo mode again does not revive it: a new
 * simulator run has new ports and knows none of the old run's tokens.
 */
export function isFromEndedDemoRun(
  apiDomain: string | null,
  zoho: ZohoClients,
  demo: ZohoClients | null,
): boolean {
  if (apiDomain === null || zoho.endpoints.isTrustedApiDomain(apiDomain)) return false;
  if (demo?.endpoints.isTrustedApiDomain(apiDomain)) return false;
  return isLoopbackOrigin(apiDomain);
}

function isLoopbackOrigin(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}
