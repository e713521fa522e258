// Lint = the layering rules of docs/ARCHITECTURE.md, enforced, plus the type-aware rules that catch what newcomers break
// (floating promises, hooks). A violation fails `npm run lint`.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const node = [
  'node:*',
  'fs',
  'path',
  'os',
  'net',
  'crypto',
  'child_process',
  'http',
  'https',
  'stream',
  'dns',
  'url',
  'util',
  'events',
  'zlib',
  'tls',
  'worker_threads',
];
const nodePatterns = node.map((n) => ({ group: [n, `${n}/*`], message: 'the renderer never imports Node: ask the main process through the contract' }));
const nodeOnlyPkgs = ['ssh2', 'conf', 'electron-store', '@napi-rs/keyring', 'ws', '@lydell/node-pty'];
/** the services, top to bottom: rpc/ → features → connections and the store → their helpers → reading files */
const layers = [['tunnels', 'sftp', 'keys', 'diagnostics', 'local'], ['ssh', 'store'], ['agent', 'sshconfig'], ['files']];
const serviceBans = {
  paths: [
    { name: 'electron', message: 'services run under plain Node: whatever they need from the desktop arrives as an interface' },
    { name: 'electron-store', message: 'electron-store imports electron: main/ passes it in' },
  ],
  patterns: [
    { group: ['**/main/**', '**/preload/**', '**/platform/**'], message: 'services never import the Electron shell' },
    { group: ['**/renderer/**'], message: 'the main process never imports renderer code' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'test/output/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    // type-aware: the rules below need the program (tsconfig.json's references)
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // a promise nobody awaits or catches loses its error; a promise where a callback wants void is the same bug
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // shared/: only shared/ and zod
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\./|\\.\\./shared/).*', message: 'shared/ imports only shared/ and zod' },
            { regex: '^\\.\\./(?!shared/)', message: 'shared/ imports only shared/ and zod' },
          ],
        },
      ],
    },
  },
  {
    // renderer/: renderer/, shared/ and browser packages; never Node, never electron
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'the renderer never imports electron: the preload hands it a MessagePort' },
            ...nodeOnlyPkgs.map((name) => ({ name, message: 'a Node-only package: the renderer reaches it through the contract' })),
          ],
          patterns: [...nodePatterns, { group: ['**/electron/**'], message: 'the renderer never imports main-process code' }],
        },
      ],
    },
  },
  {
    // the composition root and the entry points that run under plain Node: never electron
    files: ['electron/services.ts', 'electron/browser-mode.ts', 'electron/cli.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: serviceBans.paths, patterns: serviceBans.patterns }] },
  },
  // services: never electron, never the shell, and arrows point down — each layer imports only the
  // layers below it, never a sibling (docs/ARCHITECTURE.md)
  ...layers.flatMap((layer, i) =>
    layer.map((dir) => ({
      files: [`electron/${dir}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: serviceBans.paths,
            patterns: [
              ...serviceBans.patterns,
              {
                group: [
                  ...layers
                    .slice(0, i + 1)
                    .flat()
                    .filter((d) => d !== dir),
                  'rpc',
                ].map((d) => `**/${d}/**`),
                message: `electron/${dir}/ imports only the layers below it (${
                  layers
                    .slice(i + 1)
                    .flat()
                    .join(', ') || 'none'
                }), shared/ and node: arrows point down (docs/ARCHITECTURE.md)`,
              },
              {
                group: ['**/services.js', '**/browser-mode.js', '**/cli.js', '**/cli/**'],
                message: 'services never import the composition root or an entry point',
              },
            ],
          },
        ],
      },
    })),
  ),
);
