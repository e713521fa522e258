// The host key algorithms Warren offers: OpenSSH's order for the key types known_hosts holds for the
// host, then the rest; a known type ssh2 cannot verify is left out (and said), never offered.
import { describe, expect, it } from 'vitest';
import { ssh2AlgorithmLists } from '../../electron/agent/ssh2-internals.js';
import { orderHostKeyAlgorithms } from '../../electron/ssh/hostkey.js';

const supported = ssh2AlgorithmLists.SUPPORTED_SERVER_HOST_KEY!;
const defaults = ssh2AlgorithmLists.DEFAULT_SERVER_HOST_KEY!;
const order = (known: string[]) => orderHostKeyAlgorithms(known, supported, defaults);

describe('orderHostKeyAlgorithms with ssh2 1.17 lists', () => {
  it("puts the known types first in OpenSSH's order, not known_hosts order (ssh-keyscan writes RSA first)", () => {
    expect(order(['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519'])).toEqual({
      algorithms: [
        'ssh-ed25519',
        'ecdsa-sha2-nistp256',
        'rsa-sha2-512',
        'rsa-sha2-256',
        'ssh-rsa',
        // then ssh2's other defaults
        'ecdsa-sha2-nistp384',
        'ecdsa-sha2-nistp521',
      ],
      skipped: [],
    });
  });

  it('asks for the RSA signature algorithms (SHA-2 first) for an ssh-rsa entry, before the unknown types', () => {
    expect(order(['ssh-rsa']).algorithms?.slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(order(['ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp384']).algorithms?.slice(0, 3)).toEqual([
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
      'ssh-ed25519',
    ]);
  });

  it('drops a known type ssh2 lacks (ssh-ed448, security keys) and says so; never offers it', () => {
    const r = order(['ssh-ed448', 'sk-ssh-ed25519@openssh.com', 'ecdsa-sha2-nistp256']);
    expect(r.skipped).toEqual(['ssh-ed448', 'sk-ssh-ed25519@openssh.com']);
    expect(r.algorithms?.[0]).toBe('ecdsa-sha2-nistp256');
    expect(r.algorithms?.every((a) => supported.includes(a))).toBe(true);
  });

  it("only an unsupported type known, or nothing: ssh2's defaults as they are (undefined)", () => {
    expect(order(['ssh-ed448'])).toEqual({ algorithms: undefined, skipped: ['ssh-ed448'] });
    expect(order([])).toEqual({ algorithms: undefined, skipped: [] });
  });

  it('offers ssh-dss, which ssh2 has but not by default, only for a host known by a DSA key', () => {
    expect(order(['ssh-ed25519']).algorithms).not.toContain('ssh-dss');
    expect(order(['ssh-dss']).algorithms?.[0]).toBe('ssh-dss');
  });
});

describe('orderHostKeyAlgorithms with certificate types', () => {
  // an implementation with host certificates (ssh2 has none: its issue #551): OpenSSH's full order
  const withCerts = [
    'rsa-sha2-256-cert-v01@openssh.com',
    'ssh-ed25519',
    'sk-ssh-ed25519-cert-v01@openssh.com',
    'ecdsa-sha2-nistp256',
    'ssh-ed25519-cert-v01@openssh.com',
    'rsa-sha2-512',
    'ecdsa-sha2-nistp256-cert-v01@openssh.com',
    'rsa-sha2-256',
    'sk-ssh-ed25519@openssh.com',
  ];

  it('puts the certificate algorithms of each known type first, as OpenSSH does', () => {
    expect(orderHostKeyAlgorithms(['ssh-rsa', 'sk-ssh-ed25519@openssh.com', 'ssh-ed25519'], withCerts, ['ecdsa-sha2-nistp256'])).toEqual({
      algorithms: [
        'ssh-ed25519-cert-v01@openssh.com',
        'sk-ssh-ed25519-cert-v01@openssh.com',
        'rsa-sha2-256-cert-v01@openssh.com',
        'ssh-ed25519',
        'sk-ssh-ed25519@openssh.com',
        'rsa-sha2-512',
        'rsa-sha2-256',
        'ecdsa-sha2-nistp256',
      ],
      skipped: [],
    });
  });
});
