import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { devCsp } from './build/dev-csp.js';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The desktop build, into out/{main,preload,renderer}. Main is an ES module (package.json says
 * "type": "module"; Electron ≥ 28 loads ESM mains) with its npm dependencies left external. The
 * preload is one CommonJS file: a sandboxed preload is not a module and can require only 'electron'.
 */
export default defineConfig({
  main: {
    build: { rolldownOptions: { input: { index: at('electron/main/index.ts') } } },
  },
  preload: {
    build: { rolldownOptions: { input: { index: at('electron/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react(), devCsp()],
    build: { rolldownOptions: { input: { index: at('renderer/index.html') } } },
  },
});
