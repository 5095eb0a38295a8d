import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer, type PluginOption, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reactPreambleAsModule } from '../../../electron.vite.config';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

/**
 * The renderer's strict CSP (`script-src 'self'`) must hold in `npm run dev` too, where main sets it as a
 * response header on the dev server's page: so the page the dev server serves may carry no inline script.
 * @vitejs/plugin-react injects its Fast Refresh preamble inline; electron.vite.config.ts serves it as a
 * same-origin module instead. (Checked in Chromium with the header set: without the plugin the preamble is
 * refused and React never mounts; with it the console has no CSP violation and the app renders.)
 */
const RENDERER_ROOT = new URL('../../renderer/', import.meta.url);
const INDEX_HTML = readFileSync(new URL('index.html', RENDERER_ROOT), 'utf8');

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attrs = '', body = '']) => !/\bsrc=/.test(attrs) && body.trim() !== '')
    .map(([tag]) => tag);
}

/** A real dev server on a free loopback port (Fast Refresh needs HMR on, as in `npm run dev`). */
function devServer(plugins: PluginOption[]): Promise<ViteDevServer> {
  return createServer({
    root: fileURLToPath(RENDERER_ROOT),
    configFile: false,
    logLevel: 'silent',
    mode: 'development',
    plugins,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { port: 0 } },
  });
}

let server: ViteDevServer;
beforeAll(async () => {
  server = await devServer([react(), reactPreambleAsModule()]);
  await server.listen();
});
afterAll(async () => {
  await server?.close();
});

describe('dev server page and the CSP', () => {
  it('plugin-react alone would put an inline script in the page (what the dev plugin fixes)', async () => {
    const plain = await devServer([react()]);
    try {
      const html = await plain.transformIndexHtml('/index.html', INDEX_HTML);
      expect(inlineScripts(html).join('\n')).toMatch(/injectIntoGlobalHook/);
    } finally {
      await plain.close();
    }
  });

  it('serves no inline script: the preamble is a same-origin module, before main.tsx', async () => {
    const html = await server.transformIndexHtml('/index.html', INDEX_HTML);
    expect(inlineScripts(html)).toEqual([]);
    const preamble = html.indexOf('src="/@id/@vitejs/plugin-react/preamble"');
    expect(preamble).toBeGreaterThan(-1);
    expect(preamble).toBeLessThan(html.indexOf('main.tsx'));
    // The page keeps the strict policy.
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
  });

  it('that module is the plugin-react preamble', async () => {
    const origin = server.resolvedUrls?.local[0] ?? '';
    const response = await fetch(new URL('/@id/@vitejs/plugin-react/preamble', origin));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/injectIntoGlobalHook\(window\)/);
  });

  it.skipIf(!existsSync(new URL('../../../out/renderer/index.html', import.meta.url)))(
    'the built page (npm run build) keeps the strict policy and has no inline script',
    () => {
      const built = readFileSync(new URL('../../../out/renderer/index.html', import.meta.url), 'utf8');
      expect(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(built)?.[1]).toBe(
        CONTENT_SECURITY_POLICY,
      );
      expect(inlineScripts(built)).toEqual([]);
    },
  );
});
