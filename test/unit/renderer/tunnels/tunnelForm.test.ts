// The tunnel editor: what the form sends for each kind, what it refuses before asking the server, and the
// patch of an edit (a field that no longer applies is cleared with null).
import { describe, expect, it } from 'vitest';
import { fieldsOf, formProblems, newForm, patchOf, toForm, type TunnelForm } from '../../../../renderer/features/tunnels/tunnelForm.js';
import { tunnel } from '../fixtures.js';

const local = (over: Partial<TunnelForm> = {}): TunnelForm => ({
  ...newForm('db'),
  name: 'postgres',
  bindPort: '5432',
  destHost: 'localhost',
  destPort: '5432',
  ...over,
});
const dynamic = (over: Partial<TunnelForm> = {}): TunnelForm => ({ ...newForm('db'), name: 'socks', kind: 'dynamic', bindPort: '1080', ...over });

describe('newForm / toForm', () => {
  it('a new tunnel is a local forward on 127.0.0.1 through the chosen host, not started with Warren', () => {
    const f = newForm('db');
    expect(fieldsOf({ ...f, name: 'x', bindPort: '1', destHost: 'h', destPort: '2' })).toMatchObject({
      hostId: 'db',
      kind: 'local',
      bindAddress: '127.0.0.1',
      autoStart: false,
      exposed: false,
    });
    expect(formProblems(f, false)).toContain('a name is needed');
  });

  it('an existing tunnel fills the form with its values as text', () => {
    const f = toForm(tunnel({ bindPort: 15432, destHost: 'db.internal', destPort: 5432, autoStart: true }));
    expect(f).toMatchObject({ bindPort: '15432', destHost: 'db.internal', destPort: '5432', autoStart: true, socksUser: '' });
  });

  it('a SOCKS proxy has no destination in the form', () => {
    const f = toForm(tunnel({ kind: 'dynamic', destHost: undefined, destPort: undefined, socksUser: 'alice' }));
    expect(f).toMatchObject({ destHost: '', destPort: '', socksUser: 'alice' });
  });

  it('an unchanged existing tunnel is valid and patches nothing', () => {
    const t = tunnel({ name: 'Datenbank ü', kind: 'remote', bindPort: 0, bindAddress: '0.0.0.0', exposed: true });
    expect(formProblems(toForm(t), false)).toEqual([]);
    expect(patchOf(toForm(t), toForm(t))).toEqual({});
  });
});

describe('fieldsOf', () => {
  it('sends trimmed text and numbers', () => {
    expect(fieldsOf(local({ name: '  pg  ', bindAddress: ' 127.0.0.1 ', bindPort: ' 15432 ', destHost: ' db.internal ', destPort: ' 5432 ' }))).toEqual({
      name: 'pg',
      hostId: 'db',
      kind: 'local',
      bindAddress: '127.0.0.1',
      bindPort: 15432,
      destHost: 'db.internal',
      destPort: 5432,
      autoStart: false,
      exposed: false,
      socksUser: undefined,
    });
  });

  it('leaves out what does not apply to the kind: no destination for SOCKS, no SOCKS user for a forward', () => {
    const socks = fieldsOf(dynamic({ destHost: 'left.over', destPort: '80', socksUser: 'alice' }));
    expect(socks.destHost).toBeUndefined();
    expect(socks.destPort).toBeUndefined();
    expect(socks.socksUser).toBe('alice');
    expect(fieldsOf(local({ socksUser: 'alice' })).socksUser).toBeUndefined();
  });

  it('"exposed" only counts for an address that is not loopback', () => {
    expect(fieldsOf(local({ exposed: true })).exposed).toBe(false);
    expect(fieldsOf(local({ exposed: true, bindAddress: '0.0.0.0' })).exposed).toBe(true);
    expect(fieldsOf(local({ exposed: false, bindAddress: '0.0.0.0' })).exposed).toBe(false);
  });

  it('an empty address is the 127.0.0.1 its placeholder shows', () => {
    expect(fieldsOf(local({ bindAddress: '  ' })).bindAddress).toBe('127.0.0.1');
  });
});

describe('formProblems', () => {
  it('a complete local forward has none', () => {
    expect(formProblems(local(), false)).toEqual([]);
  });

  it('a name is needed, and spaces are not one', () => {
    expect(formProblems(local({ name: '   ' }), false)).toEqual(['a name is needed']);
  });

  it('the listening port is a whole number up to 65535', () => {
    for (const bindPort of ['', 'abc', '65536', '-1', '80.5']) {
      expect(formProblems(local({ bindPort }), false), bindPort).toContain('the listening port is a number from 1 to 65535');
    }
    expect(formProblems(local({ bindPort: '65535' }), false)).toEqual([]);
  });

  it('port 0 (the server picks) is for remote forwards only', () => {
    expect(formProblems(local({ kind: 'remote', bindPort: '0' }), false)).toEqual([]);
    const problems = formProblems(local({ bindPort: '0' }), false);
    expect(problems).not.toContain('the listening port is a number from 1 to 65535');
    expect(problems.join('\n')).toMatch(/local forward needs a local port/);
  });

  it('a forward needs a destination port from 1 to 65535', () => {
    expect(formProblems(local({ destPort: '0' }), false)).toContain('the destination port is a number from 1 to 65535');
    expect(formProblems(local({ destPort: '70000' }), false)).toContain('the destination port is a number from 1 to 65535');
    expect(formProblems(local({ destPort: '' }), false).join('\n')).toMatch(/needs a destination host and port/);
    expect(formProblems(local({ destHost: ' ' }), false).join('\n')).toMatch(/needs a destination host and port/);
  });

  it('a SOCKS proxy needs no destination, whatever was left in the hidden fields', () => {
    expect(formProblems(dynamic({ destHost: 'left.over', destPort: 'junk' }), false)).toEqual([]);
  });

  it('a SOCKS user without a password would let anyone in', () => {
    expect(formProblems(dynamic({ socksUser: 'alice' }), false)).toEqual(['a SOCKS user needs a password']);
    expect(formProblems(dynamic({ socksUser: 'alice' }), true)).toEqual([]);
  });

  it('a non-loopback address must be confirmed as exposed', () => {
    expect(formProblems(local({ bindAddress: '0.0.0.0' }), false).join('\n')).toMatch(/binding 0\.0\.0\.0 exposes the port/);
    expect(formProblems(local({ bindAddress: '0.0.0.0', exposed: true }), false)).toEqual([]);
    expect(formProblems(local({ bindAddress: 'localhost' }), false)).toEqual([]);
    expect(formProblems(local({ bindAddress: '::1' }), false)).toEqual([]);
  });

  it('an emptied address is not an exposure the user cannot confirm (the checkbox shows only for a real address)', () => {
    expect(formProblems(local({ bindAddress: '' }), false)).toEqual([]);
  });
});

describe('patchOf', () => {
  const initial = toForm(tunnel({ bindPort: 5432, destHost: 'localhost', destPort: 5432 }));

  it('only the fields that changed, as the contract takes them', () => {
    expect(patchOf(initial, { ...initial, bindPort: '15432', autoStart: true })).toEqual({ bindPort: 15432, autoStart: true });
  });

  it('turning a forward into a SOCKS proxy clears its destination with null', () => {
    expect(patchOf(initial, { ...initial, kind: 'dynamic' })).toEqual({ kind: 'dynamic', destHost: null, destPort: null });
  });

  it('turning a SOCKS proxy into a forward clears its SOCKS user', () => {
    const socks = toForm(tunnel({ kind: 'dynamic', destHost: undefined, destPort: undefined, socksUser: 'alice' }));
    expect(patchOf(socks, { ...socks, kind: 'local', destHost: 'db', destPort: '5432' })).toEqual({
      kind: 'local',
      destHost: 'db',
      destPort: 5432,
      socksUser: null,
    });
  });

  it('emptying the SOCKS user clears it', () => {
    const socks = toForm(tunnel({ kind: 'dynamic', destHost: undefined, destPort: undefined, socksUser: 'alice' }));
    expect(patchOf(socks, { ...socks, socksUser: ' ' })).toEqual({ socksUser: null });
  });

  it('moving an exposed tunnel back to loopback withdraws the exposure', () => {
    const open = toForm(tunnel({ bindAddress: '0.0.0.0', exposed: true }));
    expect(patchOf(open, { ...open, bindAddress: '127.0.0.1' })).toEqual({ bindAddress: '127.0.0.1', exposed: false });
  });

  it('spaces typed around a value are not a change', () => {
    expect(patchOf(initial, { ...initial, name: ` ${initial.name} `, destHost: 'localhost ' })).toEqual({});
  });
});
