import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Runs everywhere, binary or not: the built ESM main must link under Node's ESM rules, where a named
// import from a CommonJS package only works if Node can detect that export (`import { utils } from
// 'ssh2'` cannot). 'electron' is replaced by inert stand-ins; their single-instance lock says no, so
// the main script quits as soon as its module graph has linked and its top level has run.
test('the built main bundle links under Node', () => {
  const mainDir = path.resolve(import.meta.dirname, '../../out/main');
  const names = new Set<string>();
  for (const file of readdirSync(mainDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(path.join(mainDir, file), 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*["']electron["']/g)) {
      for (const name of (m[1] ?? '').split(',')) if (name.trim()) names.add(name.trim().split(/\s+as\s+/)[0]!);
    }
  }
  const stubs = mkdtempSync(path.join(tmpdir(), 'warren-electron-stub-'));
  try {
    const inert =
      'const inert = new Proxy(function () {}, { get: (_t, k) => (k === "then" ? undefined : inert), apply: () => inert, construct: () => inert });';
    const app = 'const app = new Proxy(inert, { get: (_t, k) => (k === "requestSingleInstanceLock" ? () => false : inert) });';
    const others = [...names].filter((n) => n !== 'app').map((n) => `export const ${n} = inert;`);
    writeFileSync(path.join(stubs, 'electron.mjs'), [inert, app, 'export { app };', ...others, 'export default { ...inert, app };'].join('\n'));
    const stubUrl = pathToFileURL(path.join(stubs, 'electron.mjs')).href;
    const hooks = `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(stubUrl)}, shortCircuit: true } : next(s, c); }`;
    writeFileSync(
      path.join(stubs, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});\n`,
    );
    const main = pathToFileURL(path.join(mainDir, 'index.js')).href;
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(stubs, 'register.mjs')).href,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(main)}); console.log('linked');`,
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain('linked');
  } finally {
    rmSync(stubs, { recursive: true, force: true });
  }
});
