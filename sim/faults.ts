import type { DataCenterId } from '../src/shared/datacenters';
import type { FaultKind, FaultSpec } from './types';

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Faults injected by tests; each applies to the next `times` matching requests, then disappears. */
export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes (and counts down) the first fault matching this request, if any. */
  take(dc: DataCenterId, path: string, kinds: readonly FaultKind[]): FaultSpec | undefined {
    const match = this.faults.find(({ spec }) => {
      if (spec.dataCenter && spec.dataCenter !== dc) return false;
      if (spec.path !== undefined) return spec.path === path;
      const kind = spec.kind ?? 'any';
      return kind === 'any' || kinds.includes(kind);
    });
    if (!match) return undefined;
    match.remaining -= 1;
    if (match.remaining <= 0) this.faults = this.faults.filter((f) => f !== match);
    return match.spec;
  }
}
