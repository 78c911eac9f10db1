import { cpSync, createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Excalidraw's font folder in node_modules. */
function excalidrawFontDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@excalidraw/excalidraw')), 'fonts');
}

/** The development server serves the same /excalidraw/fonts/ from node_modules. */
function excalidrawFontsDev(): Plugin {
  return {
    name: 'konvent-excalidraw-fonts-dev',
    apply: 'serve',
    configureServer(server) {
      const root = excalidrawFontDir();
      server.middlewares.use('/excalidraw/fonts', (req, res, next) => {
        let file = '';
        try {
          file = normalize(join(root, decodeURIComponent((req.url ?? '').split('?')[0] ?? '')));
        } catch {
          // A malformed escape: not one of the fonts.
        }
        if (!file.startsWith(root + sep) || !existsSync(file)) {
          next();
          return;
        }
        res.setHeader('content-type', 'font/woff2');
        createReadStream(file).pipe(res);
      });
    },
  };
}

/**
 * Copies Excalidraw's fonts into the build at /excalidraw/fonts/, where the whiteboard
 * points `window.EXCALIDRAW_ASSET_PATH`: the browser fetches them from this server, never
 * from Excalidraw's default CDN. Excalidraw always lists that CDN as a last fallback (the
 * CSP would block it, but the browser would still try): the fallback is pointed at this
 * origin too, so no font request ever names another origin.
 */
function excalidrawFonts(): Plugin {
  return {
    name: 'konvent-excalidraw-fonts',
    apply: 'build',
    transform(code, id) {
      if (!id.includes('@excalidraw') || !code.includes('https://esm.sh/')) return null;
      // Inside Excalidraw's template literal, so the origin is read in the browser.
      return code.replaceAll('https://esm.sh/', '${window.location.origin}/excalidraw/fallback/');
    },
    writeBundle(options) {
      cpSync(excalidrawFontDir(), join(options.dir ?? 'dist', 'excalidraw', 'fonts'), {
        recursive: true,
      });
    },
  };
}

/**
 * Vite configuration for the Konvent web client.
 *
 * The output must run under a strict CSP (`script-src 'self'; style-src 'self'`) and load
 * nothing from other origins, so assets are never inlined as data: URIs and no source maps
 * are embedded. In development /api and /ws are proxied to the local server.
 */
export default defineConfig({
  base: '/',
  plugins: [react(), excalidrawFonts(), excalidrawFontsDev()],
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
