// ProxyCommand's %h and %r reach /bin/sh as data, never as code: names OpenSSH refuses (9.6+,
// CVE-2023-51385) are refused, and the ones it accepts are quoted where they stand in the command.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expandProxyCommand, nameError, runProxyCommand } from '../../electron/ssh/transport.js';

/** what /bin/sh prints for the expanded command, one argument a line */
const sh = (command: string, user: string, hostname = 'example.org') =>
  execFileSync('/bin/sh', ['-c', expandProxyCommand(command, { hostname, port: 2222, user })], { encoding: 'utf8' });

describe('ProxyCommand tokens', () => {
  it('expands %h %p %r %% and leaves plain names as they are', () => {
    expect(expandProxyCommand('ssh -W %h:%p -l %r bastion 100%%', { hostname: 'db.internal', port: 2222, user: 'alice' })).toBe(
      'ssh -W db.internal:2222 -l alice bastion 100%',
    );
  });

  it('a name OpenSSH accepts but the shell would read ($, \\, spaces) arrives as one literal argument, bare, in single and in double quotes', () => {
    for (const user of ['a$HOME', 'dom\\user', 'first last', "o'neil"]) {
      expect(sh('printf "%s\\n" %r', user)).toBe(`${user}\n`);
      expect(sh("printf '%s\\n' 'u=%r'", user)).toBe(`u=${user}\n`);
      expect(sh('printf "%s\\n" "u=%r"', user)).toBe(`u=${user}\n`);
    }
  });

  it('a quoted or escaped token elsewhere in the command does not confuse the quoting', () => {
    expect(sh('printf "%s|" \\" "%h" \'"\' %r; echo', 'a b')).toBe('"|example.org|"|a b|\n');
  });
});

describe('user and host names OpenSSH refuses', () => {
  const ok = { hostname: 'example.org', user: 'alice' };

  it('refuses shell metacharacters, whitespace, control characters and a leading - in a host name', () => {
    for (const hostname of ['a`id`', 'a;id', 'a\nb', 'a b', '-oProxyCommand=x', 'a$(id)', 'a|b', 'a,b', 'a\x7f']) {
      const e = nameError({ ...ok, hostname });
      expect(e?.code, hostname).toBe('BAD_REQUEST');
      expect(e?.message).toContain(`The host name ${JSON.stringify(hostname)} has characters OpenSSH refuses`);
    }
  });

  it('refuses in a user name what ssh_valid_ruser refuses, and accepts what it accepts', () => {
    for (const user of ['x$(touch${IFS}f)', 'x`id`', 'a;b', 'a&b', 'a|b', 'a\nb', '-l', 'a -o', 'trailing\\']) {
      expect(nameError({ ...ok, user })?.message, user).toContain(`The user name ${JSON.stringify(user)} has characters OpenSSH refuses`);
    }
    for (const user of ['alice', 'DOMAIN\\alice', 'a$b', 'first last', 'user.name+tag@corp']) expect(nameError({ ...ok, user }), user).toBeNull();
  });
});

describe('a ProxyCommand that fails', () => {
  const spec = { hostname: 'example.org', port: 22, user: 'alice' };

  it('is told with the last of what it wrote to stderr, even when it exits at once', async () => {
    // 'exit' often comes before the last stderr bytes are read: every run must still carry them
    for (let i = 0; i < 20; i++) {
      const { stream, exited } = runProxyCommand("sh -c 'echo no tunnel to %h >&2; exit 3'", spec);
      stream.on('error', () => {}); // the duplex ends early when the command exits
      const e = await exited;
      stream.destroy();
      expect(e.message).toBe(
        "The ProxyCommand `sh -c 'echo no tunnel to example.org >&2; exit 3'` exited with status 3 before the SSH login finished. It said: no tunnel to example.org",
      );
    }
  });

  it('is told soon even when a child it left running keeps stderr open', async () => {
    const started = Date.now();
    const { stream, exited } = runProxyCommand("sh -c 'echo gone >&2; sleep 5 & exit 4'", spec);
    stream.on('error', () => {});
    const e = await exited;
    stream.destroy();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.message).toMatch(/exited with status 4 before the SSH login finished\. It said: gone$/);
  });
});
