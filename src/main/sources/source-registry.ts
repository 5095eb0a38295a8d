import { createHash } from 'node:crypto';
import type { ListableTokenStore } from '../store/token-store';
import type { AccountResolver } from './account-from-api-domain';
import { FileStoreBackend } from './file-store-backend';
import { openMysqlTable } from './mysql-table-backend';
import { SdkLayoutStore } from './sdk-layout-store';
import { displayNameOf, parseSourceUri, redactUri, SourceUriError, schemeOf } from './source-uri';
import { openSqliteTable } from './sqlite-table-backend';
import type { SourceDescriptor, SourceKind, TokenSource } from './token-source';

export interface OpenSourceOptions {
  /** Derives data center and environment from an API domain (SDK layouts record neither). */
  readonly resolve: AccountResolver;
  /** Create the file or table when missing: only for an export destination. */
  readonly create?: boolean;
}

/** Opens one kind of source from its URI. */
export type SourceOpener = (uri: string, options: OpenSourceOptions) => Promise<TokenSource>;

export function describeSource(
  uri: string,
  kind: SourceKind,
  displayName: string,
  plaintextAtRest: boolean,
): SourceDescriptor {
  const redactedUri = redactUri(uri.trim());
  const id =
    kind === 'local'
      ? 'local'
      : `${kind}-${createHash('sha256').update(redactedUri).digest('hex').slice(0, 12)}`;
  return { id, kind, displayName, plaintextAtRest, redactedUri };
}

function sdkSource(
  uri: string,
  store: SdkLayoutStore,
  watch?: (onChange: () => void) => () => void,
): TokenSource {
  const location = parseSourceUri(uri);
  return {
    descriptor: describeSource(uri, location.kind, displayNameOf(location), true),
    store,
    ...(watch ? { watch } : {}),
    close: SdkLayoutStore.prototype.close.bind(store),
  };
}

/** The three SDK layouts TokenDesk opens itself. */
const builtIn: Record<string, SourceOpener> = {
  async filestore(uri, options) {
    const location = parseSourceUri(uri);
    if (location.kind !== 'filestore') throw new SourceUriError('BAD_SOURCE', 'Not a filestore: URI.');
    const backend = options.create
      ? FileStoreBackend.create(location.path)
      : new FileStoreBackend(location.path);
    // Opening checks the file is there and has the SDK's header.
    await backend.snapshot();
    return sdkSource(uri, new SdkLayoutStore(backend, options.resolve), (onChange) =>
      backend.watch(onChange),
    );
  },
  async sqlite(uri, options) {
    const location = parseSourceUri(uri);
    if (location.kind !== 'sqlite') throw new SourceUriError('BAD_SOURCE', 'Not an sqlite: URI.');
    const backend = openSqliteTable({
      path: location.path,
      table: location.table,
      create: options.create ?? false,
    });
    return sdkSource(uri, new SdkLayoutStore(backend, options.resolve));
  },
  async mysql(uri, options) {
    const location = parseSourceUri(uri);
    if (location.kind !== 'mysql') throw new SourceUriError('BAD_SOURCE', 'Not a mysql:// URI.');
    const backend = await openMysqlTable({ ...location, create: options.create ?? false });
    return sdkSource(uri, new SdkLayoutStore(backend, options.resolve));
  },
};

/**
 * Every kind of source by URI scheme. `local` is registered by whoever owns the unlocked local store (the
 * app's lifecycle, or the CLI); other modules add their own schemes (for example `postgres`).
 */
export class SourceRegistry {
  private readonly openers = new Map<string, SourceOpener>(Object.entries(builtIn));

  constructor() {
    this.openers.set('mariadb', builtIn.mysql!);
  }

  register(scheme: string, opener: SourceOpener): void {
    this.openers.set(scheme.toLowerCase(), opener);
  }

  schemes(): string[] {
    return [...this.openers.keys()];
  }

  open(uri: string, options: OpenSourceOptions): Promise<TokenSource> {
    const opener = this.openers.get(schemeOf(uri));
    if (!opener) {
      // Let the parser word the error (it names the forms TokenDesk takes).
      parseSourceUri(uri);
      throw new SourceUriError('BAD_SOURCE', `No source of kind "${schemeOf(uri)}" is available.`);
    }
    return opener(uri, options);
  }
}

/** The local encrypted store as a source. */
export function localSource(store: ListableTokenStore): TokenSource {
  return {
    descriptor: describeSource('local', 'local', 'This computer (encrypted)', false),
    store,
    // The local store belongs to its lifecycle, which closes it.
    close: async () => {},
  };
}
