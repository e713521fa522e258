// The jump chain the host editor previews and a failed connection draws: which hops, in which order,
// which of them is a saved host, and which hop a connection error names.
import { describe, expect, it } from 'vitest';
import { effectiveJump, isHop, jumpChain, type ChainHop } from '../../../../renderer/features/hosts/jumpHops.js';
import { group, host } from '../fixtures.js';

const groups = [
  group({ id: 'prod', name: 'Production', defaults: { jump: 'gw' } }),
  group({ id: 'direct', name: 'Direct', parentId: 'prod', defaults: { jump: 'none' } }),
];
const hosts = [
  host({ id: 'bastion', name: 'Bastion', hostname: 'bastion.example.net', user: 'ops', port: 2200 }),
  host({ id: 'gw', name: 'gw', hostname: '203.0.113.1' }),
  host({ id: 'inner', name: 'inner', hostname: '10.1.0.1', jump: 'Bastion' }),
  host({ id: 'web', name: 'web', hostname: '10.0.0.8', groupId: 'prod' }),
];
const tree = { hosts, groups };
const names = (chain: ChainHop[] | null) => chain?.map((h) => h.name) ?? null;

describe('effectiveJump', () => {
  it("a host's own jump list wins over its groups'", () => {
    expect(effectiveJump(host({ id: 'h', groupId: 'prod', jump: 'Bastion' }), groups)).toBe('Bastion');
  });

  it('a host without one inherits the nearest group that sets one', () => {
    expect(effectiveJump(host({ id: 'h', groupId: 'prod' }), groups)).toBe('gw');
  });

  it('"none" on the host or on a nearer group turns an inherited chain off', () => {
    expect(effectiveJump(host({ id: 'h', groupId: 'prod', jump: 'none' }), groups)).toBeNull();
    expect(effectiveJump(host({ id: 'h', groupId: 'direct' }), groups)).toBeNull();
  });

  it('no jump anywhere is none', () => {
    expect(effectiveJump(host({ id: 'h' }), groups)).toBeNull();
  });
});

describe('jumpChain', () => {
  it('no jump list, or "none", is a direct connection', () => {
    expect(jumpChain(null, tree)).toEqual([]);
    expect(jumpChain('none', tree)).toEqual([]);
  });

  it('is null when the text is not a jump list (the editor says so)', () => {
    expect(jumpChain('not a host', tree)).toBeNull();
    expect(jumpChain('bastion,,gw', tree)).toBeNull();
  });

  it('a hop named like a saved host is that host, whatever the case, and connects to its address', () => {
    const [hop] = jumpChain('bastion', tree)!;
    expect(hop).toEqual({ name: 'Bastion', host: hosts[0], address: 'ops@bastion.example.net:2200' });
  });

  it("a saved host with another user or port shows as written, and connects with the hop's user and port", () => {
    const [hop] = jumpChain('alice@Bastion:2222', tree)!;
    expect(hop?.name).toBe('alice@Bastion:2222');
    expect(hop?.host?.id).toBe('bastion');
    expect(hop?.address).toBe('alice@bastion.example.net:2222');
  });

  it('a hop that is not a saved host is itself', () => {
    expect(jumpChain('root@10.0.0.5:2222', tree)).toEqual([{ name: 'root@10.0.0.5:2222', host: null, address: 'root@10.0.0.5:2222' }]);
    expect(jumpChain('10.0.0.5', tree)).toEqual([{ name: '10.0.0.5', host: null, address: '10.0.0.5' }]);
  });

  it('hops are crossed in the order written', () => {
    expect(names(jumpChain('gw, 10.0.0.5', tree))).toEqual(['gw', '10.0.0.5']);
  });

  it("the first hop is reached through its own jump list first (OpenSSH's ProxyJump), a later hop's is not", () => {
    expect(names(jumpChain('inner', tree))).toEqual(['Bastion', 'inner']);
    expect(names(jumpChain('gw,inner', tree))).toEqual(['gw', 'inner']);
  });

  it("the first hop's jump list may come from its group", () => {
    expect(names(jumpChain('web', tree))).toEqual(['gw', 'web']);
  });

  it('a chain that loops stops after a few hops instead of hanging the editor', () => {
    const loop = { groups: [], hosts: [host({ id: 'a', jump: 'b' }), host({ id: 'b', jump: 'a' })] };
    const chain = jumpChain('a', loop)!;
    expect(chain.length).toBeGreaterThan(2);
    expect(chain.length).toBeLessThanOrEqual(10);
    expect(chain.at(-1)?.name).toBe('a');
  });
});

describe('isHop', () => {
  const [bastion, quick, overridden, port22] = jumpChain('Bastion,10.0.0.5,alice@Bastion:2222,10.0.0.6:22', tree)!;

  it('a saved hop is the one an error names by its host name', () => {
    expect(isHop(bastion!, 'Bastion')).toBe(true);
    expect(isHop(overridden!, 'Bastion')).toBe(true);
  });

  it('a hop written without a user is the one named with the default user the main process filled in', () => {
    expect(isHop(quick!, 'me@10.0.0.5')).toBe(true);
    expect(isHop(quick!, '10.0.0.5')).toBe(true);
  });

  it('a hop written with the default port 22 is the one the main process names without it', () => {
    // the main process labels a quick hop user@host, and adds :port only when it is not 22
    expect(isHop(port22!, 'me@10.0.0.6')).toBe(true);
  });

  it('another hop is not', () => {
    expect(isHop(quick!, 'me@10.0.0.55')).toBe(false);
    expect(isHop(quick!, 'Bastion')).toBe(false);
    expect(isHop(bastion!, 'me@10.0.0.5')).toBe(false);
    expect(isHop(port22!, 'me@10.0.0.5')).toBe(false);
  });
});
