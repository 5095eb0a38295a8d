import { describeTokenStoreConformance } from '../token-store.conformance';
import { MemoryTokenStore } from './memory-token-store';

describeTokenStoreConformance('MemoryTokenStore', async () => new MemoryTokenStore());
