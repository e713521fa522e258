import { describe, expect, it } from 'vitest';
import { configEnv, describeShellRequest, shellRequest, withConfigEnv } from '../../electron/ssh/shell-env.js';
import { TerminalSettings } from '../../shared/settings.js';

describe('what a new shell is told (TERM, SendEnv LANG LC_*)', () => {
  const env = { LANG: 'de_DE.UTF-8', LC_TIME: 'en_GB.UTF-8', LC_ALL: 'C.UTF-8', PATH: '/usr/bin', LC_BAD: 'x y', LANGUAGE: 'de', lc_time: 'C', LC_: 'C' };

  it("'local' sends LANG and every LC_* whose value is a locale name, and nothing else of the environment", () => {
    expect(shellRequest({ termType: 'xterm-256color', locale: 'local' }, env)).toEqual({
      term: 'xterm-256color',
      env: { LANG: 'de_DE.UTF-8', LC_TIME: 'en_GB.UTF-8', LC_ALL: 'C.UTF-8' },
    });
  });

  it("'none' sends nothing; a name is sent as LANG alone", () => {
    expect(shellRequest({ termType: 'vt100', locale: 'none' }, env)).toEqual({ term: 'vt100', env: {} });
    expect(shellRequest({ termType: 'screen-256color', locale: 'C.UTF-8' }, env)).toEqual({ term: 'screen-256color', env: { LANG: 'C.UTF-8' } });
  });

  it('the session log line names what was sent', () => {
    expect(describeShellRequest({ term: 'vt220', env: { LANG: 'C.UTF-8', LC_TIME: 'en_GB.UTF-8' } })).toBe('vt220, LANG=C.UTF-8 LC_TIME=en_GB.UTF-8 sent');
    expect(describeShellRequest({ term: 'vt220', env: {} })).toBe('vt220, no locale sent');
  });

  it('the settings take only terminfo names, locale names and printable separators', () => {
    const ok = (k: 'termType' | 'locale' | 'wordSeparators', v: string) => TerminalSettings.shape[k].safeParse(v).success;
    expect(ok('termType', 'xterm-256color')).toBe(true);
    expect(ok('termType', 'xterm 256')).toBe(false);
    expect(ok('termType', "x'; id")).toBe(false);
    expect(ok('locale', 'en_US.UTF-8')).toBe(true);
    expect(ok('locale', 'de_DE@euro')).toBe(true);
    expect(ok('locale', 'local')).toBe(true);
    expect(ok('locale', 'C.UTF-8\n')).toBe(true); // trimmed
    expect(ok('locale', 'C UTF-8')).toBe(false);
    expect(ok('wordSeparators', ' ()[]')).toBe(true);
    expect(ok('wordSeparators', ' \u001b')).toBe(false);
    expect(ok('wordSeparators', '\u202e')).toBe(false);
  });
});

describe('ssh_config SetEnv/SendEnv for a name resolved through it', () => {
  const env = { LANG: 'C.UTF-8', WARREN_A: 'a', WARREN_B: 'b', OTHER: 'o' };
  it('SendEnv sends the variables whose names match; SetEnv adds its own and wins over SendEnv', () => {
    expect(configEnv({ sendEnv: ['WARREN_*'], setEnv: { WARREN_B: 'set', X: '1' } } as never, env)).toEqual({ WARREN_A: 'a', WARREN_B: 'set', X: '1' });
    expect(configEnv(undefined, env)).toEqual({});
  });
  it('a shell gets them beside the locale of the settings, the config winning for a name both send', () => {
    const r = { term: 'xterm-256color', env: { LANG: 'C.UTF-8' } };
    expect(withConfigEnv(r, { setEnv: { LANG: 'de_DE.UTF-8', FOO: 'bar' } } as never, env)).toEqual({
      term: 'xterm-256color',
      env: { LANG: 'de_DE.UTF-8', FOO: 'bar' },
    });
    expect(withConfigEnv(r, undefined, env)).toBe(r);
  });
});
