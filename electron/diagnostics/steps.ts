// The doctor's checks: each looks at one layer and says, in plain words, what it found and what to do.
import { lookup } from 'node:dns/promises';
import { stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { userInfo } from 'node:os';
import type { Client } from 'ssh2';
import type { DoctorStep } from '../../shared/doctor.js';
import { WarrenError } from '../../shared/errors.js';
import { ssh2AlgorithmLists as ssh2Lists } from '../agent/ssh2-internals.js';
import { identityFiles } from '../ssh/auth-plan.js';
import type { ConnectSpec, Transport } from '../ssh/connect-spec.js';
import { channelOpenError } from '../ssh/errors.js';
import { hostKeyRefusal } from '../ssh/hostkey.js';
import { isPostQuantum, PQ_KEX } from '../ssh/pq/kex.js';
import { expandProxyCommand, nameError, openSocket, runProxyCommand } from '../ssh/transport.js';
import { MAX_PRE_IDENT_BYTES, serverSoftware, textOf, type ServerSoftware } from '../ssh/ident.js';
import { visible } from '../../shared/untrusted.js';
import type { Probe } from './probe.js';

/** A step's verdict; `value` is what the next step needs, present only when the checks may go on. */
export type Outcome<T = true> = Pick<DoctorStep, 'status' | 'detail' | 'attempts' | 'algorithms' | 'fixable'> & { advice?: string; value?: T };

/** How the hop's SSH connection travels: a TCP socket, a jump host's channel, or a ProxyCommand's stdio. */
export type Opened = { sock: Transport; exited?: Promise<WarrenError> };

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export async function dnsOutcome(hostname: string): Promise<Outcome<string>> {
  if (isIP(hostname)) return { status: 'pass', detail: `${hostname} is an IP address: nothing to resolve.`, value: hostname };
  try {
    const all = await lookup(hostname, { all: true });
    return { status: 'pass', detail: `${hostname} resolves to ${all.map((a) => a.address).join(', ')}.`, value: all[0]!.address };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return {
      status: 'fail',
      detail: code === 'EAI_AGAIN' ? `No DNS server answered for ${hostname} (${code}).` : `The name ${hostname} does not resolve (${code}).`,
      advice: `Check the spelling of the name. An internal name resolves only on its network: connect the VPN that serves it, or check your DNS settings (\`getent hosts ${hostname}\` shows what your system resolves). The IP address works too.`,
    };
  }
}

export async function tcpOutcome(hostname: string, address: string, port: number, timeoutMs: number): Promise<Outcome<Opened>> {
  const where = address === hostname ? `${address}:${port}` : `${hostname}:${port} (${address})`;
  try {
    return { status: 'pass', detail: `${where} accepted the TCP connection.`, value: { sock: await openSocket(address, port, timeoutMs) } };
  } catch (e) {
    if (!(e instanceof WarrenError)) throw e;
    if (e.code === 'TCP_REFUSED') {
      return {
        status: 'fail',
        detail: `${where} refused the connection: nothing listens on port ${port}.`,
        advice: `Check that sshd runs on the server (\`systemctl status ssh\`) and that ${port} is its port (\`Port\` in /etc/ssh/sshd_config; \`ss -tlnp\` on the server lists what listens). A firewall that rejects the port looks the same.`,
      };
    }
    if (e.code === 'TCP_TIMEOUT') {
      return {
        status: 'fail',
        detail: `${where} did not answer within ${seconds(timeoutMs)}: the connection timed out.`,
        advice: `A firewall or cloud security group drops the packets (allow inbound TCP ${port} from your address), the machine or instance is stopped, or the address is wrong. If it worked before, your public address may have changed, or you may need the VPN.`,
      };
    }
    return {
      status: 'fail',
      detail: `There is no route to ${where} (${String(e.detail?.code ?? 'unreachable')}).`,
      advice:
        'Your machine cannot reach that network: check your connection and your VPN. Private addresses (10.x, 172.16–31.x, 192.168.x) are reachable only from inside their network, through a VPN or a jump host.',
    };
  }
}

/** The next hop's transport: a direct-tcpip channel the previous hop opens (ssh -J). */
export function channelOutcome(via: { client: Client; label: string }, hostname: string, port: number, timeoutMs: number): Promise<Outcome<Opened>> {
  const where = `${hostname}:${port}`;
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve({
        status: 'fail',
        detail: `${via.label} got no answer from ${where} within ${seconds(timeoutMs)}.`,
        advice: `A firewall between ${via.label} and ${hostname} drops the traffic, or the machine is off. \`nc -vz ${hostname} ${port}\` on ${via.label} shows what it sees.`,
      });
    }, timeoutMs);
    via.client.forwardOut('127.0.0.1', 0, hostname, port, (err: Error | undefined, channel) => {
      clearTimeout(timer);
      if (settled) return channel?.close();
      if (!err) return resolve({ status: 'pass', detail: `${via.label} opened a connection to ${where}.`, value: { sock: channel as unknown as Transport } });
      const { why, kind } = channelOpenError(err);
      const advice =
        kind === 'prohibited'
          ? `${via.label} does not forward connections: its sshd has \`AllowTcpForwarding no\`, or \`PermitOpen\` leaves out ${where}.`
          : kind === 'refused'
            ? `Nothing listens on ${where} as ${via.label} sees it: sshd is down there, or the port is wrong.`
            : kind === 'dns'
              ? `${via.label} resolves the names of the hops after it: use the name or address ${via.label} knows ${hostname} by.`
              : `Check that ${via.label} can reach ${where}: \`nc -vz ${hostname} ${port}\` on ${via.label}.`;
      resolve({ status: 'fail', detail: `${via.label} could not open a connection to ${where}: ${why}.`, advice });
    });
  });
}

export function proxyOutcome(spec: ConnectSpec): Outcome<Opened> {
  const refused = nameError(spec);
  if (refused) return { status: 'fail', detail: refused.message };
  const { stream, exited } = runProxyCommand(spec.proxyCommand!, spec);
  return {
    status: 'pass',
    detail: `Started \`${expandProxyCommand(spec.proxyCommand!, spec)}\`; the connection runs over its input and output.`,
    value: { sock: stream, exited },
  };
}

export async function bannerOutcome(p: Probe, where: string, timeoutMs: number): Promise<Outcome> {
  const ended = await p.until(() => p.banner !== null || p.over, timeoutMs);
  const { lines } = p.pre;
  if (p.banner !== null) {
    const before = lines.length > 0 ? `, after ${lines.length} other line(s) such as "${visible(textOf(lines[0]!).slice(0, 100))}"` : '';
    return { status: 'pass', detail: `The server identifies itself as "${visible(p.banner.slice(0, 200))}"${before}.`, value: true };
  }
  if (p.pre.flooded) {
    return {
      status: 'fail',
      detail: `${where} sent ${MAX_PRE_IDENT_BYTES / 1024} KiB of text before any SSH identification line (it began "${p.answered()}"), so the doctor stopped reading.`,
      advice:
        'An SSH server identifies itself first (RFC 4253 allows a few lines before that, not an endless stream). Something else holds the port, or a hostile service floods every client: check the port, and what listens there (`ss -tlnp` on the server).',
    };
  }
  const proxy = p.options.exited && (await Promise.race([p.options.exited, new Promise<null>((r) => setTimeout(() => r(null), 1000).unref())]));
  if (proxy)
    return { status: 'fail', detail: proxy.message, advice: 'Run the ProxyCommand by hand to see why it stops, and check the host names and ports it uses.' };
  const said = p.answered();
  if (said !== null) {
    return {
      status: 'fail',
      detail: `${where} answered "${said}" instead of an SSH banner: ${/^HTTP\/\d/.test(said) ? 'a web server (HTTP)' : 'something that is not an SSH server'} listens there.`,
      advice:
        "Something other than sshd listens on this port. Check the port (sshd's `Port` in /etc/ssh/sshd_config). If a proxy or load balancer sits in front of the server, reach it through a jump host or a ProxyCommand, or use the port that leads to sshd.",
    };
  }
  if (!ended) {
    return {
      status: 'fail',
      detail: `${where} accepted the connection but sent nothing in ${seconds(timeoutMs)}; an SSH server speaks first.`,
      advice:
        'Something other than sshd holds the port: a service that waits for its client to speak first (HTTP, a database), or a proxy, load balancer or firewall that accepts connections without passing them on. Check the port, and what sits between you and the server.',
    };
  }
  return {
    status: 'fail',
    detail: `${where} accepted the connection, then closed it without a word.`,
    advice:
      "sshd may turn your address away before greeting it (TCP wrappers in /etc/hosts.deny; MaxStartups, too many unauthenticated connections; a ban by fail2ban or sshguard), or a proxy or load balancer found no server behind it. The server's log (`journalctl -u ssh`) says which.",
  };
}

/** How to make the server offer another algorithm, for the software it runs: only OpenSSH has an sshd_config. */
function algorithmAdvice(software: ServerSoftware, option: string, example: string[]): string {
  const meanwhile = "OpenSSH's own ssh may connect meanwhile: it implements a few more (the UMAC MACs, for one).";
  switch (software) {
    case 'OpenSSH':
    case null:
      return `On the server${software ? '' : ' (if it runs OpenSSH)'}, add one of Warren's algorithms to \`${option}\` in /etc/ssh/sshd_config (for example \`${option} ${example.join(',')}\`) and reload sshd. ${meanwhile}`;
    case 'Dropbear':
      return `The server runs Dropbear, whose algorithms are chosen when it is built (localoptions.h), not in a config file: a newer Dropbear package, or one built with one of Warren's algorithms, fixes it. ${meanwhile}`;
    case 'TinySSH':
      return `The server runs TinySSH, which has a fixed, small set of algorithms (curve25519 or sntrup761 key exchange, Ed25519 host keys, chacha20-poly1305) and no settings for them: only a client that speaks them connects. ${meanwhile}`;
    default:
      return `The server runs ${software}, a library whose algorithms its program sets when it starts the server: the program's configuration or code must allow one of Warren's. ${meanwhile}`;
  }
}

/** sshd_config option and ssh2's constant for each family of algorithms */
const FAMILIES: [RegExp, string, string][] = [
  [/key exchange/, 'KexAlgorithms', 'KEX'],
  [/host key/, 'HostKeyAlgorithms', 'SERVER_HOST_KEY'],
  [/cipher/, 'Ciphers', 'CIPHER'],
  [/MAC/, 'MACs', 'MAC'],
  [/compression/, 'Compression', 'COMPRESSION'],
];

export async function kexOutcome(p: Probe, timeoutMs: number): Promise<Outcome> {
  const ended = await p.until(() => p.hostKey !== null || p.over, timeoutMs);
  if (p.hostKey) {
    const c = p.chosen;
    const mac = c.get('C->S MAC') && c.get('C->S MAC') !== '<implicit>' ? `, MAC ${c.get('C->S MAC')}` : '';
    const kex = c.get('KEX algorithm') ?? '';
    const pq = isPostQuantum(kex) ? ' (post-quantum)' : ` (not post-quantum: the server offers none of ${PQ_KEX.map((m) => m.name).join(', ')})`;
    return {
      status: 'pass',
      detail: `Agreed on key exchange ${kex}${pq}, host key ${c.get('Host key format')}, cipher ${c.get('C->S Cipher')}${mac}.`,
      value: true,
    };
  }
  const missing = /^Handshake failed: no matching (.+)$/.exec(p.error?.message ?? '');
  if (missing) {
    const category = missing[1]!;
    const list = category === 'key exchange algorithm' ? 'KEX method' : category === 'host key format' ? 'Host key format' : category;
    const [, option, constant] = FAMILIES.find(([re]) => re.test(category))!;
    // without the markers that ride in the key exchange list (ext-info-c, kex-strict-s-v00@openssh.com)
    const real = (names: string[]) => names.filter((a) => !/^(ext-info-[cs]|kex-strict-[cs]-v00@openssh\.com)$/.test(a));
    const server = real(p.lists.get(list)?.remote ?? []);
    const warren = real(p.lists.get(list)?.local ?? ssh2Lists[`DEFAULT_${constant}`]!);
    const weak = server.filter((a) => ssh2Lists[`SUPPORTED_${constant}`]!.includes(a) && !warren.includes(a));
    return {
      status: 'fail',
      detail: `Warren and the server have no ${category} in common. The server offers: ${server.join(', ')}. Warren (ssh2) offers: ${warren.join(', ')}.${weak.length > 0 ? ` ssh2 also implements ${weak.join(', ')}, but does not offer it: it is considered weak.` : ''}`,
      advice: algorithmAdvice(serverSoftware(p.banner), option!, [...server, warren[0]!]),
      algorithms: { category, server, warren },
    };
  }
  return {
    status: 'fail',
    detail: ended
      ? `The key exchange failed: ${p.error?.message ?? 'the server closed the connection'}.`
      : `The server identified itself, then the key exchange stalled: no reply to Warren's within ${seconds(timeoutMs)}.`,
    advice: ended
      ? 'The server broke off the handshake; its log (`journalctl -u ssh`) says why.'
      : 'A proxy, load balancer or firewall may hold the connection without passing it on, or sshd is overloaded (`MaxStartups`; its log, `journalctl -u ssh`, says so). Try again later, or from another network.',
  };
}

export function hostKeyOutcome(p: Probe): Outcome {
  const { type, fingerprint, verdict } = p.hostKey!;
  const spec = p.options.spec;
  const name = spec.port === 22 ? spec.hostname : `[${spec.hostname}]:${spec.port}`;
  switch (verdict.status) {
    case 'known':
      return { status: 'pass', detail: `${type} ${fingerprint}, as recorded in ${verdict.file}:${verdict.line}.`, value: true };
    case 'unknown': {
      const unsupported = verdict.unsupportedKnownTypes.join(', ');
      const others =
        verdict.otherKnownTypes.length > 0
          ? ` (they hold its ${verdict.otherKnownTypes.join(', ')} key, though)`
          : unsupported
            ? ` (they hold its ${unsupported} key, a type Warren cannot verify: not a changed key, one Warren cannot compare)`
            : '';
      const file = /ecdsa/.test(type) ? 'ecdsa' : /rsa/.test(type) ? 'rsa' : type.replace(/^ssh-/, '');
      return {
        status: 'warn',
        detail: `${name} presents the ${type} key ${fingerprint}, which is in none of your known_hosts files${others}.`,
        advice: `Compare the fingerprint with the one the server's administrator gives you, or the output of \`ssh-keygen -lf /etc/ssh/ssh_host_${file}_key.pub\` on the server; if it matches, connect and accept it. The doctor never accepts a host key itself and sends no credentials to a server it cannot verify, so it did not check authentication.`,
      };
    }
    default:
      return {
        status: 'fail',
        detail: hostKeyRefusal(verdict, spec, type, fingerprint).message,
        advice:
          verdict.status === 'changed'
            ? `Do not log in until you know why it changed: ask the server's administrator whether it was reinstalled or its keys replaced, and compare the new fingerprint. If the change is legitimate, remove the old line with \`ssh-keygen -R "${name}" -f "${verdict.file}"\`, then connect and accept the new key.`
            : "A revoked key was withdrawn by whoever manages your known_hosts (it may be compromised). Ask the server's administrator for its current key.",
      };
  }
}

export async function methodsOutcome(p: Probe, timeoutMs: number): Promise<Outcome> {
  await p.until(() => p.methods !== null || p.loggedIn || p.over, timeoutMs);
  const user = p.options.spec.user;
  if (p.methods) return { status: 'pass', detail: `The server accepts: ${p.methods.join(', ')}.`, value: true };
  if (p.loggedIn)
    return {
      status: 'warn',
      detail: `The server let ${user} in without any authentication.`,
      advice: 'Anyone who reaches this port can log in as that user: check the server (PermitEmptyPasswords, its PAM configuration).',
      value: true,
    };
  return {
    status: 'fail',
    detail: `The server did not list its authentication methods${p.error ? `: ${p.error.message}` : ' in time'}.`,
    advice: "The server's log (`journalctl -u ssh`) says why.",
  };
}

export async function authOutcome(p: Probe, timeoutMs: number): Promise<Outcome<Client>> {
  const done = await p.until(() => p.loggedIn || p.over, timeoutMs);
  const { spec, identities } = p.options;
  const attempts = p.attempts;
  const pending = p.loggedIn ? 'not needed' : p.tooManyFailures ? 'the server had disconnected' : 'not reached';
  for (const a of attempts) if (a.result === 'not-tried' && a.note === null) a.note = pending;
  if (p.loggedIn) {
    const used = attempts.find((a) => a.result === 'accepted');
    return { status: 'pass', detail: `Logged in as ${spec.user}${used ? ` with ${used.label}` : ''}.`, attempts, value: p.client };
  }
  if (!done)
    return {
      status: 'fail',
      detail: `The login did not finish within ${seconds(timeoutMs)}.`,
      attempts,
      advice: 'A key in the agent may wait for a confirmation (ssh-add -c), or the server is overloaded.',
    };
  const refused = attempts.filter((a) => a.result === 'refused').length;
  if (p.tooManyFailures) {
    return {
      status: 'fail',
      detail: `The server cut the connection after ${refused} refused attempt${refused === 1 ? '' : 's'}: "Too many authentication failures".`,
      attempts,
      advice:
        'sshd allows only a few attempts per connection (MaxAuthTries) and every key offered counts, so a key further down the list never gets its turn; repeated failures can also get your address banned by fail2ban. Offer only the key this server knows: set the host\u2019s authentication to "key" with the right IdentityFile (in OpenSSH: `IdentitiesOnly yes` with `IdentityFile`), or remove the keys you do not need from the agent (`ssh-add -d`).',
    };
  }
  const unusable = attempts.find((a) => a.result === 'failed');
  if (unusable) {
    return {
      status: 'warn',
      detail: `${unusable.label}: ${unusable.note}.`,
      attempts,
      advice:
        'Save the key\u2019s passphrase for this host, or enter it when you connect; an agent key that waits for a confirmation (ssh-add -c) must be confirmed.',
    };
  }
  const offered = p.methods?.join(', ') ?? 'nothing';
  const password = identities.findIndex((i) => i.kind === 'password');
  const advice: string[] = [];
  if (attempts.some((a) => a.result === 'partial'))
    advice.push('The server wants more than one method (AuthenticationMethods); Warren has no second one to offer here.');
  if (password >= 0 && identities[password]!.auth && attempts[password]!.result === 'not-tried') {
    advice.push(
      `The server accepts only ${offered}, so a password cannot log in here. Put your public key in ~/.ssh/authorized_keys of ${spec.user} on the server (\`ssh-copy-id\` from a machine that can log in, or the cloud console), then log in with the key or the agent.`,
    );
  }
  if (password >= 0 && attempts[password]!.result === 'refused')
    advice.push('The password was refused: check it, and the account name. Repeated failures can get your address banned by fail2ban.');
  if (identities.some((i, n) => i.kind === 'key' && attempts[n]!.result === 'refused')) {
    // TinySSH takes Ed25519 keys only: adding an RSA or ECDSA key to authorized_keys would not help
    const tinyssh = serverSoftware(p.banner) === 'TinySSH';
    advice.push(
      tinyssh && !identities.some((i) => i.keyType === 'ssh-ed25519')
        ? `None of the keys offered is authorized for ${spec.user}, and the server runs TinySSH, which accepts Ed25519 keys only: make one (the Keys view, or \`ssh-keygen -t ed25519\`) and add its public key to ~/.ssh/authorized_keys of ${spec.user} on the server.`
        : `None of the keys offered is authorized for ${spec.user}: add the public key to ~/.ssh/authorized_keys of ${spec.user} on the server, or choose the right IdentityFile. (sshd ignores an authorized_keys file that others can write.)`,
    );
  }
  if (advice.length === 0) {
    advice.push(
      `Warren had nothing to offer that the server accepts (${offered}): add a key or an agent key it knows, or save a password for this host; the doctor never asks for one.`,
    );
  }
  return { status: 'fail', detail: `${spec.user}@${spec.hostname} refused every login the doctor tried.`, attempts, advice: advice.join(' ') };
}

const modeOf = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** Private key files that others can read (OpenSSH refuses them); null when the hop uses no key file. */
export async function keyFilesOutcome(spec: ConnectSpec, home: string): Promise<Outcome | null> {
  if (spec.auth !== 'auto' && spec.auth !== 'key') return null;
  const checked: string[] = [];
  const open: string[] = [];
  const fixable: string[] = [];
  const missing: string[] = [];
  for (const file of identityFiles(spec, home)) {
    const st = await stat(file).catch((e: NodeJS.ErrnoException) => e);
    if (st instanceof Error) {
      if (spec.identityFile) missing.push(`${file} cannot be read (${st.code})`);
      continue;
    }
    checked.push(file);
    if (st.isFile() && st.mode & 0o077) {
      open.push(`${file} has mode ${modeOf(st.mode)}`);
      fixable.push(file);
    }
  }
  if (fixable.length > 0) {
    return {
      status: 'fail',
      detail: `${open.join('; ')}: other users have access to it. OpenSSH refuses such a key ("UNPROTECTED PRIVATE KEY FILE!") and ignores it.`,
      advice: `Make it readable by you alone: \`chmod 600 ${fixable.join(' ')}\`; Warren can do it for you.`,
      fixable,
    };
  }
  if (missing.length > 0)
    return { status: 'fail', detail: `${missing.join('; ')}.`, advice: 'Check the host\u2019s IdentityFile: the path, and that you may read the file.' };
  return checked.length > 0 ? { status: 'pass', detail: `${checked.join(', ')}: readable by you alone.` } : null;
}

/** After a refused login: the account itself may be wrong, which sshd never says. */
export function accountOutcome(user: string): Outcome {
  const cloud =
    'Cloud images log in with a default account instead: ubuntu (Ubuntu), ec2-user (Amazon Linux, RHEL, Fedora), debian (Debian), admin (Debian on AWS), centos or rocky. Try the one of your image, or ask whoever set up the server.';
  const advice =
    user === 'root'
      ? `Most servers do not let root log in over SSH (PermitRootLogin). ${cloud}`
      : user === userInfo().username
        ? `If you set no user, Warren used your local account name, ${user}. ${cloud}`
        : 'Check the account name (spelling, case), and that this account may log in on the server (AllowUsers, AllowGroups).';
  return {
    status: 'warn',
    detail: `"${user}" may not be the right account: sshd answers an account that does not exist or may not log in (AllowUsers, DenyUsers, PermitRootLogin) exactly as it answers a wrong key or password.`,
    advice,
  };
}
