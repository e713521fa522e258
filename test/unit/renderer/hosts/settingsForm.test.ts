// The host and group editors' inheritable settings: the inputs' text ↔ the settings the contract takes, the
// patch of an edit (a cleared field inherits again), and the placeholders that say what an empty field gets.
import { describe, expect, it } from 'vitest';
import type { HostSettings, ResolvedHost } from '../../../../shared/model.js';
import {
  defaultsFrom,
  fromForm,
  inheritedSettings,
  patchFromForm,
  placeholder,
  toForm,
  type SettingsForm,
} from '../../../../renderer/features/hosts/settingsForm.js';
import { group } from '../fixtures.js';

const blank = toForm({});
const form = (over: Partial<SettingsForm>): SettingsForm => ({ ...blank, ...over });

describe('toForm / fromForm', () => {
  it('an unset setting is an empty input; numbers become text', () => {
    const f = toForm({ user: 'alice', port: 2222, keepaliveInterval: 0 });
    expect(f.user).toBe('alice');
    expect(f.port).toBe('2222');
    // 0 (keepalives off) is a value, not "unset"
    expect(f.keepaliveInterval).toBe('0');
    expect(f.identityFile).toBe('');
    expect(f.jump).toBe('');
  });

  it('every setting has an input, empty for a host that sets nothing', () => {
    expect(Object.values(blank).every((v) => v === '')).toBe(true);
    expect(Object.keys(blank)).toEqual(
      expect.arrayContaining([
        'user',
        'port',
        'auth',
        'identityFile',
        'keepaliveInterval',
        'keepaliveCountMax',
        'jump',
        'proxyCommand',
        'sftpSudo',
        'forwardAgent',
      ]),
    );
  });

  it('empty inputs are left out, so the host inherits them', () => {
    expect(fromForm(blank)).toEqual({});
    expect(fromForm(form({ user: '   ' }))).toEqual({});
  });

  it('numbers go as numbers, text trimmed', () => {
    expect(fromForm(form({ port: ' 2222 ', keepaliveInterval: '0', keepaliveCountMax: '5', user: ' alice ', jump: ' bastion,b2:2200 ' }))).toEqual({
      port: 2222,
      keepaliveInterval: 0,
      keepaliveCountMax: 5,
      user: 'alice',
      jump: 'bastion,b2:2200',
    });
  });

  it('a port that is not a number goes as NaN, for the server to refuse (never as a string)', () => {
    expect(fromForm(form({ port: 'ssh' })).port).toBeNaN();
  });

  it('what a host saved comes back unchanged through the form', () => {
    const saved: HostSettings = {
      user: 'zoë',
      port: 22,
      auth: 'key',
      identityFile: '~/.ssh/id_ed25519',
      keepaliveInterval: 30,
      keepaliveCountMax: 4,
      jump: 'none',
      proxyCommand: 'nc %h %p',
      sftpSudo: 'root',
      forwardAgent: 'confirm:all',
    };
    expect(fromForm(toForm(saved))).toEqual(saved);
  });
});

describe('patchFromForm', () => {
  const initial = toForm({ user: 'alice', port: 2222, jump: 'bastion' });

  it('an untouched form patches nothing', () => {
    expect(patchFromForm(initial, initial)).toEqual({});
  });

  it('only the changed fields, parsed', () => {
    expect(patchFromForm(initial, { ...initial, port: '22', auth: 'agent' })).toEqual({ port: 22, auth: 'agent' });
  });

  it('a cleared field is null, so the host inherits it again', () => {
    expect(patchFromForm(initial, { ...initial, user: '', jump: '  ' })).toEqual({ user: null, jump: null });
  });

  it('spaces around a value are not a change', () => {
    expect(patchFromForm(initial, { ...initial, user: ' alice  ' })).toEqual({});
  });

  it('setting a field the host inherited is a change too', () => {
    expect(patchFromForm(initial, { ...initial, proxyCommand: 'nc %h %p' })).toEqual({ proxyCommand: 'nc %h %p' });
  });
});

describe('inheritedSettings', () => {
  const groups = [
    group({ id: 'prod', name: 'Production', defaults: { user: 'deploy', port: 2200, jump: 'bastion' } }),
    group({ id: 'db', name: 'Databases', parentId: 'prod', defaults: { user: 'postgres', keepaliveInterval: 0 } }),
  ];

  it('an empty field gets the nearest group that sets it, and says which', () => {
    const inh = inheritedSettings('db', groups);
    expect(inh.user).toEqual({ value: 'postgres', from: 'group Databases' });
    expect(inh.port).toEqual({ value: '2200', from: 'group Production' });
    expect(inh.jump).toEqual({ value: 'bastion', from: 'group Production' });
    expect(inh.keepaliveInterval).toEqual({ value: '0', from: 'group Databases' });
  });

  it('what no group sets comes from the built-in defaults', () => {
    const inh = inheritedSettings('db', groups);
    expect(inh.keepaliveCountMax).toEqual({ value: '3', from: 'default' });
    expect(inh.auth).toEqual({ value: 'auto', from: 'default' });
  });

  it('at the top level everything is a default', () => {
    const inh = inheritedSettings(null, groups);
    expect(inh.user.from).toBe('default');
    expect(inh.port).toEqual({ value: '22', from: 'default' });
  });

  it('a group that turns the jump chain off passes "none" down', () => {
    const off = [...groups, group({ id: 'direct', name: 'Direct', parentId: 'prod', defaults: { jump: 'none' } })];
    expect(inheritedSettings('direct', off).jump).toEqual({ value: 'none', from: 'group Direct' });
  });

  it('the defaults the main process reports replace the built-in ones', () => {
    const resolved: ResolvedHost = {
      hostname: 'db.example.net',
      port: 22,
      user: 'me',
      auth: 'auto',
      identityFile: null,
      keepaliveInterval: 15,
      keepaliveCountMax: 3,
      jump: 'bastion',
      proxyCommand: null,
      sftpSudo: null,
      forwardAgent: null,
      sources: {
        user: { kind: 'default' },
        port: { kind: 'default' },
        identityFile: { kind: 'default' },
        jump: { kind: 'group', groupId: 'prod', groupName: 'Production' },
      },
    };
    const defaults = defaultsFrom(resolved);
    // the real user name instead of "(your user name)"; null (no identity file) is empty
    expect(defaults.user).toBe('me');
    expect(defaults.identityFile).toBe('');
    // a setting a group gives is not a default: the built-in default stays for when the host leaves that group
    expect(defaults.jump).toBe('');
    expect(defaults.keepaliveInterval).toBe('15');
    expect(inheritedSettings(null, [], defaults).user).toEqual({ value: 'me', from: 'default' });
    expect(inheritedSettings('db', groups, defaults).user.from).toBe('group Databases');
  });
});

describe('placeholder', () => {
  it('shows the inherited value and where it comes from; nothing is "none"', () => {
    expect(placeholder({ value: '2200', from: 'group Production' })).toBe('2200 (group Production)');
    expect(placeholder({ value: '', from: 'default' })).toBe('none (default)');
  });
});
