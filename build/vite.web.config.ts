import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { devCsp } from './dev-csp.js';

/** The renderer bundle. `base: './'`: relative asset paths, served alike from app://warren/ (desktop) and browser mode's server. */
export default defineConfig({
  root: fileURLToPath(new URL('../renderer', import.meta.url)),
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // loaded from disk or 127.0.0.1, never over a network: one chunk of xterm + React is fine
    chunkSizeWarningLimit: 1500,
  },
});
