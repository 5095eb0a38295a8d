import { type LocalDataCenter, localEndpoints, type ZohoEndpoints } from '../src/main/zoho/endpoints';

/** The `ZohoEndpoints` of a running simulator: its DCs only, each environment at its own API origin. */
export function simulatorEndpoints(sim: { readonly dataCenters: readonly LocalDataCenter[] }): ZohoEndpoints {
  return localEndpoints(sim.dataCenters);
}
