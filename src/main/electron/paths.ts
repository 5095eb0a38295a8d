import { join } from 'node:path';

/**
 * Where the built pieces sit relative to the bundled main script (out/main/index.js), as electron-vite
 * lays them out: out/preload/index.cjs and out/renderer/index.html.
 */
export interface AppPaths {
  readonly preload: string;
  readonly rendererFile: string;
}

export function resolveAppPaths(mainDir: string): AppPaths {
  const rendererFile = join(mainDir, '../renderer/index.html');
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererFile,
  };
}
