import { localEndpoints, type ZohoEndpoints } from '../src/main/zoho/endpoints';
import type { ZohoSimulator } from './simulator';

/** The `ZohoEndpoints` of a running simulator: its DCs only, every environment at the DC's one origin. */
export function simulatorEndpoints(sim: Pick<ZohoSimulator, 'dataCenters'>): ZohoEndpoints {
  return localEndpoints(sim.dataCenters);
}
