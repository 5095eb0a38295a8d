import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { tempDir } from '../store/test-support/temp-store';
import { describeTokenStoreConformance } from '../store/token-store.conformance';
import { accountResolver } from './account-from-api-domain';
import { SourceRegistry } from './source-registry';
import { adminConnection, freshTableName, mysqlAvailable, testTableUri } from './test-support/mysql-server';

const registry = new SourceRegistry();
const resolve = accountResolver();

describeTokenStoreConformance(
  'SDK FileStore (CSV file)',
  async () => {
    const { dir, cleanup } = tempDir();
    const source = await registry.open(`filestore:${join(dir, 'sdk_tokens.txt')}`, { resolve, create: true });
    const closeSource = source.close.bind(source);
    return Object.assign(source.store, {
      close: async () => {
        await closeSource();
        cleanup();
      },
    });
  },
  { sdkLayout: true },
);

describeTokenStoreConformance(
  'SQLite table in the SDK layout',
  async () => {
    const { dir, cleanup } = tempDir();
    const source = await registry.open(`sqlite:${join(dir, 'zohooauth.db')}`, { resolve, create: true });
    const closeSource = source.close.bind(source);
    return Object.assign(source.store, {
      close: async () => {
        await closeSource();
        rmSync(dir, { recursive: true, force: true });
        cleanup();
      },
    });
  },
  { sdkLayout: true },
);

describe.runIf(mysqlAvailable)('on a real MariaDB/MySQL server', () => {
  describeTokenStoreConformance(
    'SDK DBStore table on MySQL/MariaDB',
    async () => {
      const table = freshTableName();
      const source = await registry.open(testTableUri(table), { resolve, create: true });
      const closeSource = source.close.bind(source);
      return Object.assign(source.store, {
        close: async () => {
          await closeSource();
          const admin = await adminConnection();
          await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
          await admin.end();
        },
      });
    },
    { sdkLayout: true, maxFieldLength: 255 },
  );
});
