import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Vite configuration for the Konvent web client.
 *
 * The output must run under a strict CSP (`script-src 'self'; style-src 'self'`) and load
 * nothing from other origins, so assets are never inlined as data: URIs and no source maps
 * are embedded. In development /api and /ws are proxied to the local server.
 */
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    // Every supported browser has native modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
    target: 'es2022',
    rolldownOptions: {
      // The browser imports only types and plain constants from @konvent/protocol, but its
      // modules build TypeBox schemas at load time. Marking the builders pure lets the
      // bundler drop those schemas (and TypeBox) from the client.
      treeshake: { manualPureFunctions: ['Type'] },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
