// How tunnels (and transfers, which borrow these) show sizes, rates, forwards and countdowns.
import { describe, expect, it } from 'vitest';
import { describeSpec, formatBytes, formatSeconds, kindLetter, kindTitle } from '../../../../renderer/features/tunnels/format.js';

describe('formatBytes', () => {
  it('bytes below 1 KiB are whole bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('binary units with at most three significant digits', () => {
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(15 * 1024 + 512)).toBe('15.5 KiB');
    expect(formatBytes(150 * 1024)).toBe('150 KiB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.00 MiB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.25 GiB');
  });

  it('stops at TiB for anything larger', () => {
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.00 TiB');
    expect(formatBytes(2048 * 1024 ** 4)).toBe('2048 TiB');
  });

  it('a fractional rate (bytes per second, smoothed) still shows whole bytes', () => {
    expect(formatBytes(512.4)).toBe('512 B');
  });

  it('a value that rounds up to the next digit or unit does not show a fourth digit', () => {
    // 9.999 KiB, 99.97 KiB, 1023.9 KiB and 1023.7 B/s: what shows is what it rounds to
    expect(formatBytes(9.999 * 1024)).toBe('10.0 KiB');
    expect(formatBytes(99.97 * 1024)).toBe('100 KiB');
    expect(formatBytes(1024 ** 2 - 100)).toBe('1.00 MiB');
    expect(formatBytes(1023.7)).toBe('1.00 KiB');
  });
});

describe('describeSpec', () => {
  const forward = { kind: 'local' as const, bindAddress: '127.0.0.1', bindPort: 5432, destHost: 'db.internal', destPort: 5432 };

  it('a forward reads as OpenSSH users write it', () => {
    expect(describeSpec(forward, null)).toBe('127.0.0.1:5432 → db.internal:5432');
    expect(describeSpec({ ...forward, kind: 'remote', bindAddress: '0.0.0.0', bindPort: 8080, destHost: 'localhost', destPort: 3000 }, null)).toBe(
      '0.0.0.0:8080 → localhost:3000',
    );
  });

  it('a SOCKS proxy has no destination', () => {
    expect(describeSpec({ kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 1080, destHost: undefined, destPort: undefined }, null)).toBe(
      'SOCKS 127.0.0.1:1080',
    );
  });

  it('IPv6 addresses are bracketed, so the port stays readable', () => {
    expect(describeSpec({ ...forward, bindAddress: '::1', destHost: 'fd00::5' }, null)).toBe('[::1]:5432 → [fd00::5]:5432');
  });

  it('port 0 shows the port the server bound once there is one, else "auto"', () => {
    const auto = { ...forward, kind: 'remote' as const, bindPort: 0 };
    expect(describeSpec(auto, null)).toBe('127.0.0.1:auto → db.internal:5432');
    expect(describeSpec(auto, 41234)).toBe('127.0.0.1:41234 → db.internal:5432');
    // a named port is what it says, whatever was bound
    expect(describeSpec(forward, 41234)).toBe('127.0.0.1:5432 → db.internal:5432');
  });

  it('a forward missing its destination shows ? rather than "undefined"', () => {
    expect(describeSpec({ ...forward, destHost: undefined, destPort: undefined }, null)).toBe('127.0.0.1:5432 → ?:?');
  });
});

describe('formatSeconds', () => {
  it('seconds under a minute, then minutes and seconds', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(59)).toBe('59 s');
    expect(formatSeconds(60)).toBe('1 min 0 s');
    expect(formatSeconds(80)).toBe('1 min 20 s');
    expect(formatSeconds(3599)).toBe('59 min 59 s');
  });
});

describe('kinds', () => {
  it('each kind has the letter and the ssh flag of its badge', () => {
    expect(kindLetter).toEqual({ local: 'L', remote: 'R', dynamic: 'D' });
    expect(kindTitle.local).toContain('ssh -L');
    expect(kindTitle.remote).toContain('ssh -R');
    expect(kindTitle.dynamic).toContain('ssh -D');
  });
});
