// Development only: serves the renderer in a plain browser with the in-memory fake back end
// (`npx vite --config src/renderer/dev/vite.config.mjs`). The app build uses electron.vite.config.ts.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5199, strictPort: true },
});
