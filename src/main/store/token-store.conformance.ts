import { describe } from 'vitest';
import {
  type ConformanceStore,
  conformanceFixtures,
  type StoreTraits,
} from './conformance/fixtures.conformance';
import { describeHostileValues } from './conformance/hostile-values.conformance';
import { describeMatching } from './conformance/matching.conformance';
import { describeSaving } from './conformance/saving.conformance';

export type { ConformanceStore, StoreTraits } from './conformance/fixtures.conformance';

/**
 * The one behaviour suite every TokenStore passes (docs/architecture.md "Tests"): the six SDK methods, the matching
 * rules of docs/zoho.md in precedence order, upserts, identity separation and the SDK stores' known
 * defects (duplicate ids past 9 rows, null from getTokens, throwing findTokenById) shown absent. Its parts
 * are in conformance/: saving, matching, hostile values; `traits` says what a store's format can hold.
 */
export function describeTokenStoreConformance(
  name: string,
  factory: () => Promise<ConformanceStore>,
  traits: StoreTraits = {},
): void {
  describe(`TokenStore conformance: ${name}`, () => {
    const fixtures = conformanceFixtures(factory, traits);
    describeSaving(fixtures);
    describeMatching(fixtures);
    describeHostileValues(fixtures);
  });
}
