// The local shell's environment (TERM, the locale, no browser-mode token) and which shell it runs.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localEnv, loginShell } from '../../electron/local/shell.js';

const env = {
  PATH: '/usr/bin',
  LANG: 'de_DE.UTF-8',
  LC_TIME: 'en_GB.UTF-8',
  TERM: 'dumb',
  WARREN_TOKEN: 'secret-token',
  npm_config_prefix: '/usr/local',
  INIT_CWD: '/src/warren',
  HOME: '/home/u',
};

describe('localEnv', () => {
  it("keeps this environment with the locale as it is, TERM from the settings, and never the browser-mode token nor npm's variables", () => {
    expect(localEnv({ termType: 'xterm-256color', locale: 'local' }, env)).toEqual({
      PATH: '/usr/bin',
      LANG: 'de_DE.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      HOME: '/home/u',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
    });
  });
  it('drops LANG and LC_* for "none", and sets LANG alone for a named locale', () => {
    const none = localEnv({ termType: 'xterm', locale: 'none' }, env);
    expect(Object.keys(none).filter((k) => /^(LANG|LC_)/.test(k))).toEqual([]);
    const named = localEnv({ termType: 'xterm', locale: 'C.UTF-8' }, env);
    expect(named.LANG).toBe('C.UTF-8');
    expect(named.LC_TIME).toBeUndefined();
    expect(named.TERM).toBe('xterm');
  });
});

describe('loginShell', () => {
  it('takes $SHELL, else the passwd shell, else /bin/sh: the first executable absolute path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'warren-shell-'));
    const exe = path.join(dir, 'myshell');
    const plain = path.join(dir, 'not-executable');
    await writeFile(exe, '#!/bin/sh\n');
    await chmod(exe, 0o755);
    await writeFile(plain, '');
    await chmod(plain, 0o644);
    expect(await loginShell({ SHELL: exe }, '/bin/bash')).toBe(exe);
    expect(await loginShell({ SHELL: plain }, exe)).toBe(exe);
    expect(await loginShell({ SHELL: 'bash' }, path.join(dir, 'missing'))).toBe('/bin/sh');
    expect(await loginShell({}, null)).toBe('/bin/sh');
  });
});
