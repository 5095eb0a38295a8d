import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the built pieces sit relative to the bundled main script (out/main/index.js), as electron-vite
 * lays them out: out/preload/index.cjs and out/renderer/index.html.
 */
export interface AppPaths {
  readonly preload: string;
  readonly rendererFile: string;
  readonly rendererFileUrl: string;
  /** better-sqlite3 built for Electron's ABI by scripts/prepare-electron.mjs, when it exists. */
  readonly nativeBinding: string | undefined;
}

export function resolveAppPaths(mainDir: string, appRoot: string): AppPaths {
  const rendererFile = join(mainDir, '../renderer/index.html');
  const nativeBinding = join(appRoot, 'build/native/electron/better_sqlite3.node');
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererFile,
    rendererFileUrl: pathToFileURL(rendererFile).href,
    // Without it better-sqlite3 loads its Node-ABI build, which fails with a clear NODE_MODULE_VERSION error.
    nativeBinding: existsSync(nativeBinding) ? nativeBinding : undefined,
  };
}
