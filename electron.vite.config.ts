import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * `npm run dev` only. @vitejs/plugin-react puts its Fast Refresh preamble in the dev server's index.html as
 * an INLINE module script, which the renderer's CSP (`script-src 'self'`) refuses: main sets that policy
 * as a response header on everything served over http (src/main/electron/window.ts), so in `electron-vite
 * dev` the preamble is blocked and every component module throws "can't detect preamble" (a blank
 * window). Rather than relax the policy, this serves the same preamble as a same-origin module: the
 * plugin's own virtual module `@vitejs/plugin-react/preamble`, which `script-src 'self'` allows. Module
 * scripts run in document order, so it still runs before main.tsx. `apply: 'serve'`: the build has no
 * preamble and keeps the strict policy untouched (the meta tag and src/main/security stay equal).
 */
export function reactPreambleAsModule(): Plugin {
  return {
    name: 'tokendesk:react-preamble-as-module',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const inline = /<script type="module">\s*import \{ injectIntoGlobalHook \}[\s\S]*?<\/script>/;
        if (!inline.test(html)) return html;
        return html.replace(
          inline,
          '<script type="module" src="/@id/@vitejs/plugin-react/preamble"></script>',
        );
      },
    },
  };
}

/**
 * Three builds (docs/architecture.md "Where code runs"):
 * - main: ESM (package.json has `type: module`). Dependencies stay external and load from node_modules;
 *   better-sqlite3 (a Node-API addon that loads its prebuilt binary from
 *   node_modules, the same file under Node and Electron) and electron-store (imports
 *   `electron` at load) must never be bundled.
 * - preload: a sandboxed preload cannot `require` anything but `electron` and a few built-ins, and cannot
 *   be ESM, so it is one self-contained CommonJS file with `src/shared` and zod bundled in.
 * - renderer: React, root `src/renderer`.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: ['better-sqlite3', 'electron-store'] },
      rolldownOptions: {
        input: { index: resolve('src/main/index.ts') },
        output: { format: 'es' },
      },
    },
  },
  preload: {
    build: {
      // Bundle every dependency: the sandbox has no module loader for node_modules.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), reactPreambleAsModule()],
    build: {
      // electron-vite leaves output unminified by default; the renderer bundle is what the window parses
      // at every start, so minify it.
      minify: true,
      // One local bundle read from disk (React, Radix, TanStack, zod for client-side validation); splitting
      // it would not make a desktop window start faster.
      chunkSizeWarningLimit: 800,
      rolldownOptions: {
        input: { index: resolve('src/renderer/index.html') },
      },
    },
  },
});
