import './tune-gc.js';
import { readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClientChannel } from 'ssh2';
import type { ImportReport } from '../shared/contract.js';
import type { Prompt, PromptAnswer } from '../shared/prompts.js';
import type { TunnelStatus } from '../shared/tunnels.js';
import { layerOf, WarrenError } from '../shared/errors.js';
import { targetNamed, type Target } from '../shared/model.js';
import { forwardArgs } from '../shared/sshcommand.js';
import { visible } from '../shared/untrusted.js';
import { createServices, type Services } from './services.js';
import { openNodeConf } from './store/settings.js';
import { stepText, summary } from './diagnostics/report.js';
import type { Endpoint, Lease } from './ssh/connections.js';
import { commandFor, jumpSpecOf } from './ssh/endpoints.js';
import { execThroughMux } from './ssh/mux-client.js';
import { MUX_SOCKET } from './ssh/mux-wire.js';
import { exportSnippet } from './sshconfig/export.js';
import { resolveHost } from './sshconfig/resolve.js';

const USAGE = `usage: warren [--data-dir DIR] [-F FILE] COMMAND
  ls                              hosts, groups and tunnels
  connect HOST                    an interactive shell
  exec HOST -- COMMAND [ARG…]     run a command, print its output, exit with its status
  command HOST                    the equivalent ssh command line
  tunnel up NAME…                 run tunnels in the foreground, reconnecting, until Ctrl-C
  tunnel down NAME…               stop tunnels another 'warren tunnel up' runs
  tunnel status [NAME…]           saved tunnels and whether they run
  export [HOST|GROUP…]            hosts as an ssh_config snippet
  resolve [-F FILE] HOST          settings as JSON, named as \`ssh -G\` names them (from FILE: as ssh reads it)
  import [-F FILE]                an ssh_config (default ~/.ssh/config) into Warren; prints the report
  doctor HOST [--timeout SEC]     diagnose the connection step by step; exit 0 only when all pass
HOST is a saved host's name, else [user@]name[:port] with name looked up in ~/.ssh/config (or -F FILE) as ssh does.`;

/** exit statuses: as ssh, 255 means Warren could not connect or run the command */
const EXIT = { usage: 2, failed: 1, connect: 255 } as const;

class UsageError extends Error {}

/**
 * Everything Warren prints goes through here, so the server text inside it (banners, keyboard-interactive
 * questions, host keys, disconnect reasons, error messages) reaches the terminal with its controls made
 * visible, as OpenSSH passes it through strnvis: no server's escape sequence sets the window title, writes
 * the clipboard or draws a fake prompt. Newlines and tabs stay. Only a remote command's own output (exec,
 * connect) and the echo of what the user types go to the terminal as they are.
 */
function print(stream: NodeJS.WriteStream, text: string): void {
  stream.write(visible(text, { lines: true }));
}
/** a line of Warren's results, on stdout */
const out = (line: string) => print(process.stdout, `${line}\n`);
/** a line of Warren's messages, on stderr */
const say = (line: string) => print(process.stderr, `${line}\n`);

function fail(e: unknown): never {
  if (e instanceof UsageError) {
    say(`warren: ${e.message}\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  if (e instanceof WarrenError) {
    say(`warren: ${layerOf[e.code]}: ${e.message}`);
    process.exit(['NOT_FOUND', 'BAD_REQUEST', 'CONFLICT'].includes(e.code) ? EXIT.failed : EXIT.connect);
  }
  say(`warren: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(EXIT.failed);
}

/** a saved host by name (case-insensitive), else a name for ssh_config to resolve, as ssh does ([user@]name[:port]) */
function targetOf(services: Services, name: string): Target {
  const target = targetNamed(services.hosts.tree().hosts, name);
  if (!target) throw new UsageError(`"${name}" is neither a saved host nor [user@]host[:port]`);
  return target;
}

/** Where HOST leads; what Warren does not apply of its ssh_config is said once, on stderr. */
async function reach(services: Services, name: string): Promise<Endpoint> {
  const endpoint = await services.endpointOf(targetOf(services, name));
  for (let e: Endpoint | null = endpoint; e; e = e.via) for (const note of e.notes ?? []) say(`warren: note: ${note}`);
  return endpoint;
}

/** Reads one line from the terminal; hidden input echoes nothing. Ctrl-C or Ctrl-D cancels. */
function readLine(question: string, hidden: boolean): Promise<string | null> {
  const stdin = process.stdin;
  // raw (no echo) before the question shows: an answer typed the moment it appears is never echoed
  stdin.setRawMode(true);
  print(process.stderr, question);
  return new Promise((resolve) => {
    let text = '';
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (value: string | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') {
          if (text.length > 0 && !hidden) process.stderr.write('\b \b');
          text = text.slice(0, -1);
        } else {
          text += ch;
          if (!hidden) process.stderr.write(ch);
        }
      }
    };
    stdin.on('data', onData);
  });
}

/** Answers the services' questions at the terminal, as ssh does. */
async function answerAtTerminal(p: Prompt): Promise<PromptAnswer> {
  switch (p.kind) {
    case 'hostkey': {
      const where = p.port === 22 ? p.host : `[${p.host}]:${p.port}`;
      say(`The authenticity of host '${where}' can't be established.\n${p.keyType} key fingerprint is ${p.fingerprint}.`);
      if (p.unsupportedKnownTypes.length > 0)
        say(
          `known_hosts holds its ${p.unsupportedKnownTypes.join(', ')} key, a type Warren cannot verify: this key is not changed, only not yet known to Warren.`,
        );
      const yes = await readLine('Are you sure you want to continue connecting (yes/no)? ', false);
      return { accept: yes?.trim().toLowerCase() === 'yes' };
    }
    case 'password':
    case 'passphrase':
    case 'vault': {
      const label =
        p.kind === 'password'
          ? `${p.user}@${p.host}'s password: `
          : p.kind === 'passphrase'
            ? `Enter passphrase for key '${p.keyFile}': `
            : `Warren vault master passphrase${p.mode === 'create' ? ' (new)' : ''}: `;
      if (p.retry) say('That was refused; please try again.');
      const value = await readLine(label, true);
      return value === null ? { cancel: true } : { value };
    }
    case 'keyboard-interactive': {
      // the server's own words, as ssh shows them: its name for the question, then its instructions
      for (const text of [p.name, p.instructions]) if (text) say(text);
      const values: string[] = [];
      for (const q of p.prompts) {
        const v = await readLine(q.prompt, !q.echo);
        if (v === null) return { cancel: true };
        values.push(v);
      }
      return { values };
    }
    case 'conflict':
      return { cancel: true }; // the CLI transfers nothing
    case 'agent-sign': {
      say(`${p.host} wants to use your key ${p.fingerprint} (${p.comment})${p.user ? ` to log in as ${p.user}` : ''}.`);
      const a = (await readLine('Allow? (yes / always / no) ', false))?.trim().toLowerCase();
      return { accept: a === 'yes' || a === 'always', always: a === 'always' };
    }
    case 'banner':
      say(p.message); // the CLI prints banners itself (onBanner); said here too should one come as a question
      return { accept: true };
  }
}

/** With a terminal on stdin, questions are asked there; without one, they fail at once (NO_UI). */
function watchPrompts(services: Services): () => void {
  if (!process.stdin.isTTY) return () => {};
  const controller = new AbortController();
  let queue = Promise.resolve();
  void services.prompts.watch((e) => {
    if (e.type !== 'ask') return;
    queue = queue.then(async () => {
      const answer = await answerAtTerminal(e.prompt);
      try {
        services.prompts.answer(e.id, answer);
      } catch {
        // timed out meanwhile
      }
    });
  }, controller.signal);
  return () => controller.abort();
}

/**
 * Opens a channel on the lease; when it fails because the connection went away (the server disconnected,
 * perhaps saying why), that is the error, not the channel's.
 */
function channelOf(
  lease: Lease,
  refused: string,
  open: (cb: (err: Error | undefined, ch: ClientChannel) => void) => void,
): Promise<{ channel: ClientChannel; status: Promise<number> }> {
  return new Promise((resolve, reject) =>
    open((err, ch) => {
      // watched at once: the exit status can arrive in the same read as the channel's confirmation
      if (!err) return resolve({ channel: ch, status: exitOf(lease, ch) });
      const channel = new WarrenError('CHANNEL', `${refused}: ${err.message}`);
      void Promise.race([lease.closed, new Promise<WarrenError>((r) => setTimeout(() => r(channel), 200))]).then(reject);
    }),
  );
}

async function connect(services: Services, name: string): Promise<number> {
  const lease = await services.connections.acquire(await reach(services, name));
  const stdout = process.stdout;
  const { channel: shell, status } = await channelOf(lease, 'The server refused a shell', (cb) =>
    lease.client.shell({ term: process.env.TERM ?? 'xterm-256color', cols: stdout.columns ?? 80, rows: stdout.rows ?? 24 }, cb),
  );
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.pipe(shell);
  shell.pipe(stdout);
  shell.stderr.pipe(process.stderr);
  stdout.on('resize', () => shell.setWindow(stdout.rows, stdout.columns, 0, 0));
  const code = await status;
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  return code;
}

/**
 * The remote command's exit status, as ssh gives it: its own status; 255 when it was killed by a signal
 * (and ssh's words for that), or when the channel or the connection closed without one.
 */
function exitOf(lease: Lease, channel: ClientChannel): Promise<number> {
  let lost: WarrenError | null = null;
  void lease.closed.then((e) => (lost = e));
  return new Promise((resolve) => {
    let code: number | null = null;
    channel.on('exit', (c: number | null, signal?: string) => {
      if (c !== null && c !== undefined) code = c;
      else if (signal) {
        say(`warren: remote command killed by signal ${signal.replace(/^SIG/, '')}`);
        code = EXIT.connect;
      }
    });
    channel.on('close', () => {
      // the connection's end is known a moment after the channel's
      setTimeout(() => {
        if (code === null)
          say(
            `warren: ${lost ? `${layerOf[lost.code]}: ${lost.message}` : 'the server closed the channel without an exit status'} (the command's status is unknown)`,
          );
        resolve(code ?? EXIT.connect);
      }, 0);
    });
  });
}

async function exec(services: Services, name: string, command: string[]): Promise<number> {
  if (command.length === 0) throw new UsageError('exec needs a command after --');
  const lease = await services.connections.acquire(await reach(services, name));
  const { channel, status } = await channelOf(lease, 'The server refused to run the command', (cb) => lease.client.exec(command.join(' '), cb));
  if (process.stdin.isTTY) channel.end();
  else process.stdin.pipe(channel);
  channel.pipe(process.stdout);
  channel.stderr.pipe(process.stderr);
  return status;
}

function list(services: Services): void {
  const { groups, hosts, tunnels } = services.hosts.tree();
  const print = (parentId: string | null, depth: number) => {
    const pad = '  '.repeat(depth);
    for (const g of groups.filter((x) => x.parentId === parentId).sort((a, b) => a.name.localeCompare(b.name))) {
      out(`${pad}${g.name}/`);
      print(g.id, depth + 1);
    }
    for (const h of hosts.filter((x) => x.groupId === parentId).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = services.hosts.resolve(h.id);
      out(`${pad}${h.name}\t${r.user}@${r.hostname}:${r.port}${r.jump ? `\tvia ${r.jump}` : ''}`);
      for (const t of tunnels.filter((x) => x.hostId === h.id)) out(`${pad}  ⇄ ${t.name}\t${forwardArgs(t).join(' ')}${t.autoStart ? '\tauto-start' : ''}`);
    }
  };
  print(null, 0);
}

const pidFile = (dataDir: string, id: string) => path.join(dataDir, 'run', `tunnel-${id}.pid`);

function tunnelsNamed(services: Services, names: string[]) {
  const all = services.hosts.tree().tunnels;
  if (names.length === 0) return all;
  return names.map((n) => {
    const t = all.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (!t) throw new WarrenError('NOT_FOUND', `There is no tunnel named "${n}" (warren tunnel status lists them).`);
    return t;
  });
}

function describe(name: string, s: TunnelStatus): string {
  switch (s.state) {
    case 'up':
      return `${name}: up on port ${s.boundPort}${s.warning ? ` (${s.warning})` : ''}`;
    case 'reconnecting':
      return `${name}: reconnecting (attempt ${s.attempt}, next try in ${Math.max(0, Math.round(((s.nextRetryAt ?? Date.now()) - Date.now()) / 1000))} s): ${s.error?.message ?? ''}`;
    case 'failed':
      return `${name}: failed: ${s.error?.message ?? 'unknown error'}`;
    default:
      return `${name}: ${s.state}`;
  }
}

async function tunnelUp(services: Services, dataDir: string, names: string[]): Promise<number> {
  if (names.length === 0) throw new UsageError('tunnel up needs the names of the tunnels to run');
  const chosen = tunnelsNamed(services, names);
  // while it runs, `warren exec` to a host of its tunnels reuses its connection
  await services.serveReuse();
  await mkdir(path.join(dataDir, 'run'), { recursive: true });
  for (const t of chosen) await writeFile(pidFile(dataDir, t.id), String(process.pid));
  // one line per change of state (and per reconnect attempt), not per traffic tick
  const last = new Map<string, string>();
  services.tunnels.onChange((list) => {
    for (const t of chosen) {
      const s = list.find((x) => x.id === t.id);
      const key = s && `${s.state}/${s.attempt}/${s.warning ?? ''}`;
      if (!s || last.get(t.id) === key) continue;
      last.set(t.id, key!);
      out(describe(t.name, s));
    }
  });
  await Promise.all(chosen.map((t) => services.tunnels.start(t.id)));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(chosen.map((t) => rm(pidFile(dataDir, t.id), { force: true })));
  return 0;
}

async function tunnelDown(services: Services, dataDir: string, names: string[]): Promise<number> {
  if (names.length === 0) throw new UsageError('tunnel down needs the names of the tunnels to stop');
  let status = 0;
  for (const t of tunnelsNamed(services, names)) {
    const pid = Number(await readFile(pidFile(dataDir, t.id), 'utf8').catch(() => 'NaN'));
    try {
      if (!Number.isInteger(pid)) throw new Error('not running');
      process.kill(pid, 'SIGTERM');
      out(`${t.name}: stopped (process ${pid})`);
    } catch {
      say(`warren: ${t.name} is not running under 'warren tunnel up'`);
      status = EXIT.failed;
    }
  }
  return status;
}

async function tunnelStatus(services: Services, dataDir: string, names: string[]): Promise<number> {
  for (const t of tunnelsNamed(services, names)) {
    const pid = Number(await readFile(pidFile(dataDir, t.id), 'utf8').catch(() => 'NaN'));
    let running = false;
    try {
      running = Number.isInteger(pid) && process.kill(pid, 0);
    } catch {
      running = false;
    }
    const host = services.hosts.host(t.hostId).name;
    out(`${t.name}\t${host}\t${forwardArgs(t).join(' ')}\t${running ? `running (process ${pid})` : 'stopped'}${t.autoStart ? '\tauto-start' : ''}`);
  }
  return 0;
}

/** The connection doctor: prints each step as it completes; 0 only when every step passed. */
async function doctor(services: Services, name: string, timeout: string | undefined): Promise<number> {
  const seconds = timeout === undefined ? undefined : Number(timeout);
  if (seconds !== undefined && !(seconds >= 0.5 && seconds <= 120)) throw new UsageError('--timeout takes seconds, from 0.5 to 120');
  let hop: string | null = null;
  const report = await services.doctor.run(await reach(services, name), { timeoutMs: seconds && Math.round(seconds * 1000) }, (e) => {
    if (e.type !== 'step') return;
    if (e.step.hop !== hop) out(`${hop === null ? '' : '\n'}${(hop = e.step.hop)}`);
    out(stepText(e.step));
  });
  out(`\n${summary(report.steps)}`);
  return report.ok ? 0 : EXIT.failed;
}

/** `ssh -G` names: from an ssh_config exactly as OpenSSH reads it, or a saved host's effective settings */
async function resolve(services: Services, name: string, file: string | undefined): Promise<Record<string, unknown>> {
  if (file) {
    const { values, problems } = await resolveHost(name, { file: path.resolve(file), home: homedir(), localUser: userInfo().username });
    for (const p of problems) say(`warren: ${p.file}:${p.line}: ${p.message}`);
    return values;
  }
  const endpoint = await services.endpointOf(targetOf(services, name));
  const s = endpoint.spec;
  const out: Record<string, unknown> = {
    hostname: s.hostname,
    user: s.user,
    port: String(s.port),
    serveraliveinterval: String(s.keepaliveInterval),
    serveralivecountmax: String(s.keepaliveCountMax),
  };
  if (s.identityFile) out.identityfile = [s.identityFile];
  const jump = jumpSpecOf(endpoint);
  if (jump) out.proxyjump = jump;
  else if (s.proxyCommand) out.proxycommand = s.proxyCommand;
  const tunnels = endpoint.hostId ? services.hosts.tree().tunnels.filter((t) => t.hostId === endpoint.hostId) : [];
  const end = (h: string, p: number) => `[${h}]:${p}`;
  for (const [kind, key] of [
    ['local', 'localforward'],
    ['remote', 'remoteforward'],
    ['dynamic', 'dynamicforward'],
  ] as const) {
    const list = tunnels
      .filter((t) => t.kind === kind)
      .map((t) => (kind === 'dynamic' ? end(t.bindAddress, t.bindPort) : `${end(t.bindAddress, t.bindPort)} ${end(t.destHost!, t.destPort!)}`));
    if (list.length > 0) out[key] = list;
  }
  return out;
}

function printImport(r: ImportReport): void {
  out(`Imported into group ${r.groupId}: ${r.created.length} new, ${r.updated.length} updated, ${r.tunnelsAdded} tunnel(s) added.`);
  for (const s of r.skipped) out(`  skipped ${s.host}: ${s.why}`);
  for (const n of r.notApplied) out(`  not applied: ${n.host}: ${n.keyword} ${n.value} (${n.why})`);
  for (const p of r.problems) out(`  problem: ${p.file}:${p.line}: ${p.message}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: path.join(process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'warren') },
      help: { type: 'boolean', short: 'h' },
      F: { type: 'string', short: 'F' },
      timeout: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : EXIT.usage;
  }
  const dataDir = path.resolve(values['data-dir']);
  // exec first asks a process that may hold a connection to the host (ssh's ControlMaster), before
  // anything else is loaded; with -F it connects itself, as names may then mean something else
  if (command === 'exec' && rest.length >= 2 && !values.F) {
    const name = rest[0]!;
    const reused = await execThroughMux(
      path.join(dataDir, MUX_SOCKET),
      { v: 1, op: 'exec', name, command: rest.slice(1).join(' '), noStdin: process.stdin.isTTY === true },
      { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, say },
    );
    if (reused !== null) return reused;
  }
  const services = await createServices({
    dataDir,
    mode: 'cli',
    autoStartTunnels: false,
    openConf: openNodeConf,
    // like ssh -F: names that are not saved hosts are looked up in this file instead of ~/.ssh/config
    sshConfigFile: values.F && path.resolve(values.F),
    // a login banner goes to stderr as the server wrote it, but for its controls: as ssh does
    onBanner: (message) => print(process.stderr, message.endsWith('\n') ? message : `${message}\n`),
    // as ssh's "Warning: Permanently added …"
    onWarning: (message) => say(`warren: ${message}`),
  });
  for (const n of services.notices) say(`warren: ${n.level}: ${n.message}`);
  const stopPrompts = watchPrompts(services);
  try {
    switch (command) {
      case 'ls':
        list(services);
        return 0;
      case 'connect':
        if (rest.length !== 1) throw new UsageError('connect takes one HOST');
        return await connect(services, rest[0]!);
      case 'exec':
        if (rest.length < 1) throw new UsageError('exec takes HOST -- COMMAND');
        return await exec(services, rest[0]!, rest.slice(1));
      case 'command':
        if (rest.length !== 1) throw new UsageError('command takes one HOST');
        out(commandFor(await reach(services, rest[0]!)));
        return 0;
      case 'tunnel': {
        const [verb, ...names] = rest;
        if (verb === 'up') return await tunnelUp(services, dataDir, names);
        if (verb === 'down') return await tunnelDown(services, dataDir, names);
        if (verb === 'status') return await tunnelStatus(services, dataDir, names);
        throw new UsageError('tunnel takes up, down or status');
      }
      case 'export':
        print(
          process.stdout,
          exportSnippet(services.hosts.tree(), (id) => services.hosts.resolve(id), rest),
        );
        return 0;
      case 'resolve':
        if (rest.length !== 1) throw new UsageError('resolve takes one HOST');
        out(JSON.stringify(await resolve(services, rest[0]!, values.F), null, 2));
        return 0;
      case 'import': {
        const report = await services.importSshConfig(values.F && path.resolve(values.F));
        printImport(report);
        return report.skipped.length > 0 ? EXIT.failed : 0;
      }
      case 'doctor':
        if (rest.length !== 1) throw new UsageError('doctor takes one HOST');
        return await doctor(services, rest[0]!, values.timeout);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    stopPrompts();
    await services.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => fail(e),
);
