// Lint = the layering rules of docs/ARCHITECTURE.md, enforced. A violation fails `npm run lint`.
import tseslint from 'typescript-eslint';

const node = ['node:*', 'fs', 'path', 'os', 'net', 'crypto', 'child_process', 'http', 'https', 'stream', 'dns', 'url', 'util', 'events', 'zlib', 'tls', 'worker_threads'];
const nodePatterns = node.map((n) => ({ group: [n, `${n}/*`], message: 'the renderer never imports Node: ask the main process through the contract' }));
const nodeOnlyPkgs = ['ssh2', 'conf', 'electron-store', '@napi-rs/keyring', 'ws'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'test/output/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
    },
  },
  {
    // shared/: only shared/ and zod
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\./|\\.\\./shared/).*', message: 'shared/ imports only shared/ and zod' }, { regex: '^\\.\\./(?!shared/)', message: 'shared/ imports only shared/ and zod' }] }],
    },
  },
  {
    // renderer/: renderer/, shared/ and browser packages; never Node, never electron
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'the renderer never imports electron: the preload hands it a MessagePort' }, ...nodeOnlyPkgs.map((name) => ({ name, message: 'a Node-only package: the renderer reaches it through the contract' }))],
        patterns: [...nodePatterns, { group: ['**/electron/**'], message: 'the renderer never imports main-process code' }],
      }],
    },
  },
  {
    // services: never electron, never main/preload/platform
    files: ['electron/{ssh,tunnels,sftp,agent,keys,sshconfig,store,diagnostics,files}/**/*.ts', 'electron/services.ts', 'electron/browser-mode.ts', 'electron/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'services run under plain Node: whatever they need from the desktop arrives as an interface' }, { name: 'electron-store', message: 'electron-store imports electron: main/ passes it in' }],
        patterns: [{ group: ['**/main/**', '**/preload/**', '**/platform/**'], message: 'services never import the Electron shell' }, { group: ['**/renderer/**'], message: 'the main process never imports renderer code' }],
      }],
    },
  },
  {
    // lower services never reach up into rpc or the composition root
    files: ['electron/{ssh,store,agent,sshconfig}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'services run under plain Node' }, { name: 'electron-store', message: 'electron-store imports electron: main/ passes it in' }],
        patterns: [{ group: ['**/main/**', '**/preload/**', '**/platform/**', '**/rpc/**', '**/services.js', '**/browser-mode.js', '**/cli.js', '**/tunnels/**', '**/sftp/**', '**/keys/**', '**/diagnostics/**'], message: 'arrows point down (docs/ARCHITECTURE.md)' }, { group: ['**/renderer/**'], message: 'the main process never imports renderer code' }],
      }],
    },
  },
  {
    // files/ (reading a file Warren is given by path) is the bottom: every service reads through it
    files: ['electron/files/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'services run under plain Node' }, { name: 'electron-store', message: 'electron-store imports electron: main/ passes it in' }],
        patterns: [{ regex: '^\\.\\./(?!\\.\\./shared/)', message: 'electron/files/ imports only node:* and shared/: the services import it, never the reverse' }],
      }],
    },
  },
);
