import { z } from 'zod';

/**
 * Imported first by the preload and the renderer, before any module builds a schema. zod compiles fast
 * object parsers with `new Function`, and probes for it (`new Function("")`) as soon as the first object
 * schema is built. The window's CSP has no 'unsafe-eval', so the probe fails (zod copes) but Chromium
 * still reports a CSP violation for it. Jitless, zod never probes and parses without generated code;
 * main is under no CSP and keeps the faster parsers.
 */
z.config({ jitless: true });
