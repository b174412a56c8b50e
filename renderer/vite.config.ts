// Builds the renderer into dist-renderer/, served by main from kesi-app://app/ under a strict CSP:
// no inline script (Vite emits module scripts as files), no eval, no data: fonts or workers
// (assetsInlineLimit 0), relative URLs (base './'). pdf.js's worker is emitted as a file; its
// standard fonts, character maps and image decoders are copied under pdfjs/ so that PDFs open
// without any network.
// This file runs in Node at build time, never in the page: the Node imports below are its own.
/* eslint-disable no-restricted-imports */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/* eslint-enable no-restricted-imports */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const pdfjsRoot = resolve(here, '../node_modules/pdfjs-dist');

/** Copies pdf.js's data folders into the build (pdfjs/<folder>/<file>). */
function pdfjsAssets(folders: readonly string[]): Plugin {
  return {
    name: 'kesi-pdfjs-assets',
    apply: 'build',
    generateBundle() {
      for (const folder of folders) {
        const dir = join(pdfjsRoot, folder);
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (!statSync(file).isFile() || name.startsWith('LICENSE')) continue;
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${folder}/${name}`,
            source: readFileSync(file),
          });
        }
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), pdfjsAssets(['standard_fonts', 'cmaps', 'wasm', 'iccs'])],
  build: {
    outDir: resolve(here, '../dist-renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: 'es' },
  // pdf.js reaches Node's fs, url, stream and module through process.getBuiltinModule when it
  // runs under Node. The page is never Node: make the lookup undefined so that those branches
  // are dead code and drop out of the build (the bundle must name nothing of Node).
  define: { 'process.getBuiltinModule': 'undefined' },
});
