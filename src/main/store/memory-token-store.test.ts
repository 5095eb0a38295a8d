import { MemoryTokenStore } from './memory-token-store';
import { describeTokenStoreConformance } from './token-store.conformance';

describeTokenStoreConformance('MemoryTokenStore', async () => new MemoryTokenStore());
