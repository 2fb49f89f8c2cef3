import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.WARDEN_DEV_API ?? 'http://127.0.0.1:8080';

// Everything the console talks to is served by the Warden server; in dev we forward it so the
// session cookie stays same-origin exactly as in production.
const proxied = ['/api', '/feeds', '/geo', '/healthz'];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The public site's script (web/src/site/main.ts) is a second entry; the server finds its
    // hashed name in the manifest (src/server/routes/site/assets.ts).
    manifest: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        site: fileURLToPath(new URL('./src/site/main.ts', import.meta.url)),
      },
    },
    // MapLibre alone is ~1 MB minified and is already split into its own lazily loaded chunk.
    chunkSizeWarningLimit: 1200,
    // The MapLibre worker must stay a real file: inlining it as a data: URL breaks module workers
    // and a strict CSP.
    assetsInlineLimit: (file) => (file.endsWith('.mjs') ? false : undefined),
  },
  server: {
    proxy: Object.fromEntries(proxied.map((prefix) => [prefix, { target: apiTarget, changeOrigin: false }])),
  },
  preview: {
    proxy: Object.fromEntries(proxied.map((prefix) => [prefix, { target: apiTarget, changeOrigin: false }])),
  },
});
