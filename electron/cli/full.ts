// The `warren` commands that need the services (connections, the store, the doctor): loaded only for
// them, after the command line has been parsed (electron/cli.ts), so ls, help and completion never load
// ssh2 or the keychain.
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { ClientChannel, PseudoTtyOptions } from 'ssh2';
import type { ImportReport } from '../../shared/contract.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import type { TunnelStatus } from '../../shared/tunnels.js';
import { layerOf, WarrenError } from '../../shared/errors.js';
import { targetNamed, type Target } from '../../shared/model.js';
import { ConflictChoice } from '../../shared/sftp.js';
import { visible } from '../../shared/untrusted.js';
import { createServices, type Services } from '../services.js';
import { openNodeConf } from '../store/settings.js';
import { stepText, summary } from '../diagnostics/report.js';
import type { Endpoint, Lease } from '../ssh/connections.js';
import type { SshOptions } from '../ssh/connect-spec.js';
import { configEnv } from '../ssh/shell-env.js';
import { commandFor, jumpSpecOf } from '../ssh/endpoints.js';
import { exportSnippet } from '../sshconfig/export.js';
import { formatDump, type DumpValues } from '../sshconfig/dump.js';
import { sshRefuses } from '../sshconfig/lookup.js';
import { resolveHost } from '../sshconfig/resolve.js';
import { UsageError, type CommandLine } from './commands.js';
import { JSON_VERSION, printTree, printTunnelStatus, tunnelsNamed, type TreeView } from './listing.js';
import { out, print, say } from './output.js';
import { holdRunFiles, runningPid } from './runfiles.js';
import { copy, CopyUsage } from './copy.js';

/** exit statuses: as ssh, 255 means Warren could not connect or run the command */
export const EXIT = { usage: 2, failed: 1, connect: 255 } as const;

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
      // lost while the request was on its way (a command that kills its sshd at once can beat the reply):
      // whether it ran is not known either
      const lost = lease.closed.then((e) => new WarrenError(e.code, `${e.message} (the command's status is unknown)`, e.detail));
      void Promise.race([lost, new Promise<WarrenError>((r) => setTimeout(() => r(channel), 200))]).then(reject);
    }),
  );
}

/**
 * Whether a session gets a terminal, as ssh decides it from RequestTTY: `force` always, `yes` when stdin
 * is one (else ssh's words), `no` never, `auto` for a login shell only. Null: no terminal.
 */
function ttyFor(o: SshOptions | undefined, loginShell: boolean): PseudoTtyOptions | null {
  const want = o?.requestTty ?? 'auto';
  const stdout = process.stdout;
  const pty = { term: process.env.TERM ?? 'xterm-256color', cols: stdout.columns ?? 80, rows: stdout.rows ?? 24 };
  if (!o) return loginShell ? pty : null; // a saved host: a shell always gets a terminal, a command never
  if (want === 'force') return pty;
  if (want === 'no' || (want === 'auto' && !loginShell)) return null;
  if (process.stdin.isTTY) return pty;
  say('Pseudo-terminal will not be allocated because stdin is not a terminal.');
  return null;
}

/** Stdin, stdout and stderr to and from the channel until it ends; stdin raw while a remote terminal reads it. */
async function attach(channel: ClientChannel, status: Promise<number>, tty: boolean, stdinToo: boolean): Promise<number> {
  const stdout = process.stdout;
  const raw = tty && process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  if (stdinToo) process.stdin.pipe(channel);
  else channel.end();
  channel.pipe(stdout);
  channel.stderr.pipe(process.stderr);
  if (tty) stdout.on('resize', () => channel.setWindow(stdout.rows, stdout.columns, 0, 0));
  const code = await status;
  if (raw) process.stdin.setRawMode(false);
  process.stdin.unpipe(channel);
  return code;
}

async function connect(services: Services, name: string): Promise<number> {
  const endpoint = await reach(services, name);
  const o = endpoint.spec.sshOptions;
  const lease = await services.connections.acquire(endpoint);
  const env = configEnv(o, process.env);
  // RemoteCommand runs instead of the login shell, as with ssh NAME; so does a saved host's Remote command,
  // which gets a terminal as a login shell would (RequestTTY auto gives ssh_config's command none)
  const command = endpoint.command;
  if (command) {
    const pty = ttyFor(o, o?.remoteCommand === undefined);
    lease.log(`Running ${command.from}: ${command.text}${pty ? ', with a terminal' : ''}`);
    const { channel, status } = await channelOf(lease, 'The server refused to run the remote command', (cb) =>
      lease.client.exec(command.text, { env, ...(pty && { pty }) }, cb),
    );
    return attach(channel, status, pty !== null, true);
  }
  const pty = ttyFor(o, true);
  const { channel: shell, status } = await channelOf(lease, 'The server refused a shell', (cb) =>
    pty ? lease.client.shell(pty, { env }, cb) : lease.client.shell(false, { env }, cb),
  );
  return attach(shell, status, pty !== null, true);
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
  if (command.length === 0) throw new UsageError('exec needs a command after --', 'exec');
  const endpoint = await reach(services, name);
  const o = endpoint.spec.sshOptions;
  // as ssh: a command given and a RemoteCommand in the config is a contradiction, refused before connecting
  if (o?.remoteCommand !== undefined)
    throw new WarrenError('CONFIG', `Cannot execute command-line and remote command. (ssh_config sets RemoteCommand for ${name}.)`, {
      keyword: 'RemoteCommand',
    });
  const pty = ttyFor(o, false);
  const lease = await services.connections.acquire(endpoint);
  const { channel, status } = await channelOf(lease, 'The server refused to run the command', (cb) =>
    lease.client.exec(command.join(' '), { env: configEnv(o, process.env), ...(pty && { pty }) }, cb),
  );
  // a command's stdin is ours unless we are a terminal (then it would wait for input nobody means to give), as before; with a remote terminal it is the keyboard
  return attach(channel, status, pty !== null, !process.stdin.isTTY || pty !== null);
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
  if (names.length === 0) throw new UsageError('tunnel up needs the names of the tunnels to run', 'tunnel');
  const chosen = chosenTunnels(services, names);
  // while it runs, `warren exec` to a host of its tunnels reuses its connection
  await services.serveReuse();
  for (const t of chosen) {
    const pid = await runningPid(dataDir, t.id);
    if (pid !== null)
      throw new WarrenError('CONFLICT', `${t.name} already runs under 'warren tunnel up' (process ${pid}); 'warren tunnel down ${t.name}' stops it.`);
  }
  const release = await holdRunFiles(
    dataDir,
    chosen.map((t) => t.id),
  );
  // it lives while any of its tunnels is starting, up or reconnecting; when every one has failed (a port in
  // use, a refused login, a changed host key: nothing a retry fixes) it exits 1
  let allFailed!: () => void;
  const failed = new Promise<number>((resolve) => (allFailed = () => resolve(EXIT.failed)));
  // one line per change of state (and per reconnect attempt), not per traffic tick
  const last = new Map<string, string>();
  const states = new Map<string, string>();
  let started = false;
  const check = () => {
    if (started && chosen.every((t) => states.get(t.id) === 'failed')) allFailed();
  };
  services.tunnels.onChange((list) => {
    for (const t of chosen) {
      const s = list.find((x) => x.id === t.id);
      if (!s) continue;
      states.set(t.id, s.state);
      const key = `${s.state}/${s.attempt}/${s.warning ?? ''}`;
      if (last.get(t.id) === key) continue;
      last.set(t.id, key);
      out(describe(t.name, s));
    }
    check();
  });
  for (const s of await Promise.all(chosen.map((t) => services.tunnels.start(t.id)))) states.set(s.id, s.state);
  started = true;
  check();
  const stopped = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(0));
  });
  const code = await Promise.race([stopped, failed]);
  if (code !== 0) say(`warren: ${chosen.length === 1 ? 'the tunnel' : `all ${chosen.length} tunnels`} failed; nothing is left to run`);
  release();
  return code;
}

async function tunnelDown(services: Services, dataDir: string, names: string[]): Promise<number> {
  if (names.length === 0) throw new UsageError('tunnel down needs the names of the tunnels to stop', 'tunnel');
  let status = 0;
  // one signal per process, however many of its tunnels are named
  const byProcess = new Map<number, string[]>();
  for (const t of chosenTunnels(services, names)) {
    const pid = await runningPid(dataDir, t.id);
    if (pid === null) {
      say(`warren: ${t.name} is not running under 'warren tunnel up'`);
      status = EXIT.failed;
    } else byProcess.set(pid, [...(byProcess.get(pid) ?? []), t.name]);
  }
  for (const [pid, stopped] of byProcess) {
    try {
      process.kill(pid, 'SIGTERM');
      out(`${stopped.join(', ')}: stopped (process ${pid})`);
    } catch (e) {
      say(`warren: ${stopped.join(', ')}: process ${pid} could not be stopped: ${(e as Error).message}`);
      status = EXIT.failed;
    }
  }
  return status;
}

/**
 * The connection doctor: prints each step as it completes; 0 only when every step passed. With --json,
 * the report at the end instead (its steps with passwords and key material removed, as its text).
 */
async function doctor(services: Services, name: string, timeout: string | undefined, json: boolean): Promise<number> {
  const seconds = timeout === undefined ? undefined : Number(timeout);
  if (seconds !== undefined && !(seconds >= 0.5 && seconds <= 120)) throw new UsageError('--timeout takes seconds, from 0.5 to 120', 'doctor');
  let hop: string | null = null;
  const report = await services.doctor.run(await reach(services, name), { timeoutMs: seconds && Math.round(seconds * 1000) }, (e) => {
    if (e.type !== 'step' || json) return;
    if (e.step.hop !== hop) out(`${hop === null ? '' : '\n'}${(hop = e.step.hop)}`);
    out(stepText(e.step));
  });
  if (json) {
    const { target, ok, startedAt, steps } = report;
    out(JSON.stringify({ version: JSON_VERSION, target, ok, startedAt: new Date(startedAt).toISOString(), steps }, null, 2));
  } else out(`\n${summary(report.steps)}`);
  return report.ok ? 0 : EXIT.failed;
}

/**
 * `warren resolve`: a name that is not a saved host (or any name, with -F FILE) as `ssh -G` prints it,
 * every keyword, defaults included; a line ssh refuses is said with its file:line and exits 255 as ssh -G
 * does. A saved host: its effective settings, under ssh's keyword names.
 */
async function resolveCommand(services: Services, name: string, file: string | undefined, json: boolean): Promise<number> {
  const saved = !file && services.hosts.tree().hosts.some((h) => h.name.toLowerCase() === name.toLowerCase());
  const config = file ? path.resolve(file) : path.join(homedir(), '.ssh', 'config');
  let values: Record<string, unknown>;
  if (saved) values = await savedHostValues(services, name);
  else {
    const dump = (await resolveHost(name, { file: config, home: homedir(), localUser: userInfo().username })).dump();
    for (const p of dump.problems) say(`warren: ${p.file}:${p.line}: ${p.message}`);
    if (dump.problems.some(sshRefuses)) return EXIT.connect;
    values = dump.values;
  }
  print(process.stdout, json ? `${JSON.stringify(values, null, 2)}\n` : formatDump(values as DumpValues));
  return 0;
}

/** a saved host's effective settings, named as `ssh -G` names them */
async function savedHostValues(services: Services, name: string): Promise<Record<string, unknown>> {
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
  const counts = `${r.created.length} new, ${r.updated.length} updated, ${r.tunnelsAdded} tunnel(s) added`;
  out(
    r.groupId === null
      ? `Nothing imported (${counts}): every host was skipped, so no group "${r.groupName}" was made.`
      : `Imported into group "${r.groupName}": ${counts}.`,
  );
  for (const s of r.skipped) out(`  skipped ${s.host}: ${s.why}`);
  for (const n of r.notApplied) out(`  not applied: ${n.host}: ${n.keyword} ${n.value} (${n.why})`);
  for (const p of r.problems) out(`  problem: ${p.file}:${p.line}: ${p.message}${p.sshRefuses ? ' (ssh refuses this config)' : ''}`);
}

function chosenTunnels(services: Services, names: string[]) {
  const chosen = tunnelsNamed(services.hosts.tree().tunnels, names);
  if (typeof chosen === 'string') throw new WarrenError('NOT_FOUND', chosen);
  return chosen;
}

const treeOf = (services: Services): TreeView => ({ ...services.hosts.tree(), resolve: (id) => services.hosts.resolve(id) });

/** A command that needs the services; the command line is parsed and checked already. */
export async function runWithServices(line: CommandLine, dataDir: string): Promise<number> {
  const { command, positionals: rest, flags } = line;
  const file = typeof flags.F === 'string' ? flags.F : undefined;
  const services = await createServices({
    dataDir,
    mode: 'cli',
    autoStartTunnels: false,
    openConf: openNodeConf,
    // like ssh -F: names that are not saved hosts are looked up in this file instead of ~/.ssh/config
    sshConfigFile: file && path.resolve(file),
    // a login banner goes to stderr as the server wrote it, but for its controls: as ssh does
    onBanner: (message) => print(process.stderr, message.endsWith('\n') ? message : `${message}\n`),
    // as ssh's "Warning: Permanently added …"
    onWarning: (message) => say(`warren: ${message}`),
  });
  for (const n of services.notices) say(`warren: ${n.level}: ${n.message}`);
  const stopPrompts = watchPrompts(services);
  const one = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`${command!.name} takes one ${what}`, command!.name);
    return rest[0]!;
  };
  try {
    switch (command!.name) {
      case 'ls':
        printTree(treeOf(services), flags.json === true);
        return 0;
      case 'connect':
        return await connect(services, one('HOST'));
      case 'exec':
        if (rest.length < 1) throw new UsageError('exec takes HOST -- COMMAND', 'exec');
        return await exec(services, rest[0]!, rest.slice(1));
      case 'command':
        out(commandFor(await reach(services, one('HOST'))));
        return 0;
      case 'tunnel': {
        const [verb, ...names] = rest;
        if (verb === 'up') return await tunnelUp(services, dataDir, names);
        if (verb === 'down') return await tunnelDown(services, dataDir, names);
        if (verb === 'status') {
          await printTunnelStatus(treeOf(services), dataDir, chosenTunnels(services, names), flags.json === true);
          return 0;
        }
        throw new UsageError('tunnel takes up, down or status', 'tunnel');
      }
      case 'export':
        print(
          process.stdout,
          exportSnippet(services.hosts.tree(), (id) => services.hosts.resolve(id), rest),
        );
        return 0;
      case 'resolve':
        return await resolveCommand(services, one('HOST'), file, flags.json === true);
      case 'import': {
        if (rest.length > 0) throw new UsageError('import takes no arguments: the file is given with -F FILE', 'import');
        const report = await services.importSshConfig(file && path.resolve(file), flags.linked === true);
        printImport(report);
        return report.skipped.length > 0 || report.problems.some((p) => p.sshRefuses) ? EXIT.failed : 0;
      }
      case 'doctor':
        return await doctor(services, one('HOST'), typeof flags.timeout === 'string' ? flags.timeout : undefined, flags.json === true);
      case 'cp': {
        const conflict = ConflictChoice.safeParse(flags.conflict ?? 'overwrite');
        if (!conflict.success) throw new UsageError('--conflict takes overwrite, skip, rename or newer', 'cp');
        // the line is redrawn in place (\r, erase to its end); the names in it are the server's: controls made visible
        const progress = process.stderr.isTTY ? (text: string, last?: boolean) => process.stderr.write(`\r${visible(text)}\x1b[K${last ? '\n' : ''}`) : null;
        const options = {
          recursive: flags.recursive === true,
          preserve: flags.preserve === true,
          port: typeof flags.port === 'string' ? flags.port : undefined,
          quiet: flags.quiet === true,
          conflict: conflict.data,
        };
        return await copy(services, rest, options, { say, progress, target: async (name) => (await reach(services, name), targetOf(services, name)) }).catch(
          (e: unknown) => {
            throw e instanceof CopyUsage ? new UsageError(e.message, 'cp') : e;
          },
        );
      }
      case 'sftp': {
        const { sftpSession } = await import('./sftp.js');
        return await sftpSession(services, one('HOST'), {
          say,
          out,
          progress: null,
          target: async (name) => (await reach(services, name), targetOf(services, name)),
        });
      }
      default:
        throw new UsageError(`unknown command "${command!.name}"`);
    }
  } finally {
    stopPrompts();
    await services.close();
  }
}
