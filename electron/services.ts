import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../shared/contract.js';
import { targetNamed, type HostRecord, type Notice, type Target } from '../shared/model.js';
import { WarrenError } from '../shared/errors.js';
import { agentSocket as defaultAgentSocket } from './agent/client.js';
import { AgentService } from './agent/service.js';
import { Doctor } from './diagnostics/doctor.js';
import { KeyService } from './keys/service.js';
import { createHandlers } from './rpc/handlers.js';
import { PromptBroker } from './rpc/prompts.js';
import type { Handlers } from './rpc/peer.js';
import { ConnectionManager, type Endpoint } from './ssh/connections.js';
import { serveMux, type MuxServer } from './ssh/mux.js';
import { MUX_SOCKET } from './ssh/mux-wire.js';
import { endpointFor } from './ssh/endpoints.js';
import { HostKeyReplacer } from './ssh/hostkey-replace.js';
import type { ConnectDeps, SavedSecrets } from './ssh/connect-spec.js';
import { DEFAULT_BACKOFF, type Backoff } from './ssh/retry.js';
import { shellRequest } from './ssh/shell-env.js';
import { TerminalService } from './ssh/terminals.js';
import { LocalShellService } from './local/shell.js';
import { HostStore, secretAccount } from './store/hosts.js';
import { createSecrets, type Secrets } from './store/secrets.js';
import { planImport } from './sshconfig/import.js';
import { lookupHost, sshRefuses, type ConfiguredHost } from './sshconfig/lookup.js';
import { TunnelService } from './tunnels/service.js';
import type { StartDrag } from './sftp/dragout.js';
import { DownloadLinks, type BrowserDownloads } from './sftp/links.js';
import { SftpService } from './sftp/service.js';
import { openSettings, privateDataDir, type OpenConf } from './store/settings.js';
import { WorkspaceKeeper } from './store/workspace.js';

export interface ServicesOptions {
  /** where settings, Warren's known_hosts and the vault live */
  dataDir: string;
  mode: 'desktop' | 'browser' | 'cli';
  /** start the auto-start tunnels (the app does; the CLI runs only the tunnels it is asked to) */
  autoStartTunnels?: boolean;
  /** electron-store in the desktop app, conf under plain Node */
  openConf: OpenConf;
  /** the user's home (for ~/.ssh); default os.homedir() */
  home?: string;
  /** SSH_AUTH_SOCK; default from the environment (on Windows: the OpenSSH agent's pipe, else Pageant) */
  agentSocket?: string | undefined;
  /** 'vault' skips the OS keychain (tests, or a user who prefers it) */
  secrets?: 'auto' | 'vault';
  version?: string;
  /** reconnect backoff of terminals, tunnels and paused transfers (tests shorten it) */
  backoff?: Backoff;
  /**
   * The desktop app's OS drag of local files (main/ passes webContents.startDrag): `sftp.dragOut`
   * needs it. Without it (browser mode, the CLI) dragging out fails and says to download instead.
   */
  startDrag?: StartDrag;
  /** where servers' login banners go besides the session log: the CLI prints them on stderr, as ssh does; by default the UI shows them (a 'banner' prompt) */
  onBanner?(message: string): void;
  /** what ssh prints as a warning while it connects (a host key recorded as StrictHostKeyChecking accept-new says, or one that could not be): the CLI prints it on stderr; elsewhere the session log has it */
  onWarning?(message: string): void;
  /** the ssh_config names that are not saved hosts are looked up in (ssh -F); default ~/.ssh/config */
  sshConfigFile?: string;
  /** false: the terminal workspace is neither restored nor saved in this run (`--no-restore`) */
  restoreWorkspace?: boolean;
  /** false: local shell tabs are refused (`--no-local-shell`) */
  localShell?: boolean;
}

export interface Services {
  handlers: Handlers;
  /** browser mode's server serves download links with these */
  downloads: BrowserDownloads;
  hosts: HostStore;
  connections: ConnectionManager;
  prompts: PromptBroker;
  secrets: Secrets;
  tunnels: TunnelService;
  sftp: SftpService;
  doctor: Doctor;
  keys: KeyService;
  agent: AgentService;
  notices: Notice[];
  /** where a target leads: a saved host, or a name as ssh_config resolves it, with its jump chain */
  endpointOf(target: Target): Promise<Endpoint>;
  /** resume from sleep / network back: everything waiting to reconnect tries now */
  wake(): void;
  /**
   * Lets `warren exec` reuse this process's connections through `mux.sock` in the data dir (ssh/mux.ts),
   * unless another process already serves it. The long-lived entry points call it; closed by `close`.
   */
  serveReuse(): Promise<void>;
  /** `linked`: the hosts keep reading their settings from the file each time they connect */
  importSshConfig(file?: string, linked?: boolean): Promise<ImportReport>;
  close(): Promise<void>;
}

/** The one composition root: desktop main, browser-mode server and CLI all start here. */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const home = options.home ?? homedir();
  const dirNotices = await privateDataDir(options.dataDir);
  const { conf, doc, notices: settingsNotices } = await openSettings(options.dataDir, options.openConf);
  const notices = [...dirNotices, ...settingsNotices];
  const prompts = new PromptBroker();
  const secrets = await createSecrets({
    dataDir: options.dataDir,
    prefer: options.secrets ?? 'auto',
    askVaultPassphrase: async (mode, retry) => {
      const answer = await prompts.ask({ kind: 'vault', mode, retry });
      if (!('value' in answer)) throw new WarrenError('CANCELLED', 'The vault stays locked.');
      return answer.value;
    },
  });
  const hosts = new HostStore(conf, doc, secrets);
  const workspace = new WorkspaceKeeper({
    read: () => hosts.workspace(),
    // --no-restore leaves the saved workspace as it is for the next run
    write: (ws) => options.restoreWorkspace !== false && hosts.setWorkspace(ws),
    enabled: () => options.restoreWorkspace !== false && hosts.appSettings().terminal.restoreWorkspace,
    hostExists: (id) => hosts.tree().hosts.some((h) => h.id === id),
  });
  const knownHostsFiles = [path.join(home, '.ssh', 'known_hosts'), path.join(options.dataDir, 'known_hosts')];
  const agentSocket = 'agentSocket' in options ? options.agentSocket : defaultAgentSocket();

  const savedSecrets = (hostId: string | null): SavedSecrets => ({
    get: async (kind) => {
      if (hostId === null) return null;
      const h = hosts.host(hostId);
      if (!(kind === 'password' ? h.hasPassword : h.hasPassphrase)) return null;
      return secrets.get(secretAccount(hostId, kind));
    },
    save: async (kind, value) => {
      if (hostId === null) return;
      await hosts.saveSecret(hostId, kind, value);
      hosts.markSecret(hostId, kind, true);
    },
  });
  const depsFor = (endpoint: Endpoint): ConnectDeps => ({
    prompter: prompts,
    secrets: savedSecrets(endpoint.hostId),
    knownHostsFiles,
    agentSocket,
    home,
    onBanner: options.onBanner ?? ((message) => showBanner(endpoint, message)),
    ...(options.onWarning && { onWarning: options.onWarning }),
  });
  /** the banner as a prompt the login does not wait for, unless the user chose not to see this text again for this host */
  const showBanner = (endpoint: Endpoint, message: string) => {
    const digest = createHash('sha256').update(message).digest('hex');
    const hostId = endpoint.hostId;
    if (hostId !== null && hosts.host(hostId).bannerSeen === digest) return;
    const { hostname, user } = endpoint.spec;
    void prompts.ask({ kind: 'banner', host: hostname, user, message, canRemember: hostId !== null }).then(
      (a) => {
        if (hostId !== null && 'accept' in a && a.always) hosts.rememberBanner(hostId, digest);
      },
      () => {},
    );
  };
  const connections = new ConnectionManager(depsFor);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const terminals = new TerminalService(
    connections,
    (endpoint) => shellRequest(hosts.terminalSettings(endpoint.hostId), process.env),
    backoff,
    path.join(options.dataDir, 'session-logs'),
  );
  const localShells = new LocalShellService(terminals, {
    enabled: options.localShell !== false,
    settings: () => hosts.appSettings().terminal,
    home,
  });

  const sshConfig = { file: options.sshConfigFile ?? path.join(home, '.ssh', 'config'), home, localUser: userInfo().username };
  /**
   * endpointFor is synchronous; a name that is not a saved host is looked up in ssh_config first. Each
   * round looks up the names the last one met (a target, then the hops its config names), until a
   * round meets none: at most one round per hop, and endpointFor stops chains over its hop limit.
   */
  const endpointOf = async (target: Target): Promise<Endpoint> => {
    const found = new Map<string, ConfiguredHost>();
    const foundLinked = new Map<string, ConfiguredHost>();
    for (;;) {
      const wanted = new Set<string>();
      const wantedLinked = new Set<string>();
      const endpoint = endpointFor(target, {
        host: (id) => hosts.host(id),
        resolve: (id) => hosts.resolve(id),
        named: (name) => hosts.tree().hosts.find((h) => h.name.toLowerCase() === name.toLowerCase()),
        configured: (name) => found.get(name) ?? void wanted.add(name),
        linked: (id) => foundLinked.get(id) ?? void wantedLinked.add(id),
      });
      if (wanted.size === 0 && wantedLinked.size === 0) return endpoint;
      for (const name of wanted) found.set(name, await lookupHost(name, sshConfig));
      for (const id of wantedLinked) foundLinked.set(id, await lookupLinked(hosts.host(id)));
    }
  };
  /** A saved host kept linked: its Host block as ssh reads the file now; the file gone is an error, not a guess. */
  const lookupLinked = async (h: HostRecord): Promise<ConfiguredHost> => {
    const { file, alias } = h.linked!;
    if (!(await stat(file).catch(() => null))?.isFile())
      throw new WarrenError(
        'CONFIG',
        `${h.name} is linked to ${file} (Host ${alias}), which is not there any more. Put the file back, or import the hosts again without keeping them linked.`,
        { file },
      );
    return lookupHost(alias, { ...sshConfig, file });
  };

  const tunnels = new TunnelService({ hosts, connections, endpointOf: (hostId) => endpointOf({ hostId }), backoff });
  const sftp = new SftpService({
    connections,
    prompts,
    endpointOf,
    backoff,
    sudoOf: (e) => (e.hostId === null ? null : (hosts.resolve(e.hostId).sftpSudo ?? null)),
    startDrag: options.startDrag,
    resumeDir: path.join(options.dataDir, 'transfers'),
  });
  const doctor = new Doctor(depsFor);
  const keys = new KeyService({ home, dataDir: options.dataDir, hosts, connections, depsFor, endpointOf });
  const agent = new AgentService(agentSocket);
  const hostKeys = new HostKeyReplacer({ knownHostsFiles, connections });
  const wake = () => {
    terminals.wakeAll();
    tunnels.wakeAll();
    sftp.wake();
  };

  /** ~/.ssh/config (or another file) into its own group; the report says what was not applied */
  const importSshConfig = async (file?: string, linked = false): Promise<ImportReport> => {
    const resolved = file === undefined ? path.join(home, '.ssh', 'config') : path.resolve(home, file.replace(/^~(?=$|\/)/, home));
    // a file the user named must exist; the default ~/.ssh/config may not (then nothing is imported)
    if (file !== undefined && !(await stat(resolved).catch(() => null))?.isFile()) {
      throw new WarrenError('NOT_FOUND', `There is no ssh_config file at ${resolved}.`);
    }
    const plan = await planImport({ file: resolved, home, localUser: userInfo().username });
    const problems = plan.problems.map((p) => ({ ...p, sshRefuses: sshRefuses(p) }));
    if (plan.hosts.length === 0) {
      // its problems still said, every one (in detail; the first in the message)
      const lines = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
      throw new WarrenError(
        'NOT_FOUND',
        `${resolved} names no concrete host (only wildcard blocks, or it is empty): there is nothing to import.${lines.length ? ` It also has ${lines.length} problem(s), the first: ${lines[0]}` : ''}`,
        { problems: lines },
      );
    }
    const shown = resolved.startsWith(`${home}/`) ? `~/${path.relative(home, resolved)}` : resolved;
    return { ...hosts.importPlan(`Imported from ${shown}`, plan.hosts, linked ? resolved : null), problems };
  };

  const links = new DownloadLinks();
  const downloads: BrowserDownloads = {
    find: (ticket) => links.take(ticket),
    stat: (link) => sftp.transfers.checkDownload(link.target, link.path),
    run: (link, from, emit, signal) => sftp.transfers.download(link.target, link.path, from, emit, signal),
    ack: (id, bytes) => sftp.transfers.ack(id, bytes),
  };
  const downloadLink = async (target: Target, file: string) => {
    if (options.mode !== 'browser') throw new WarrenError('BAD_REQUEST', 'Download links exist only in browser mode: the desktop app downloads into a folder.');
    await sftp.transfers.checkDownload(target, file);
    return { href: links.create({ target, path: file }) };
  };

  const handlers = createHandlers({
    info: () => ({
      version: options.version ?? '0.0.0',
      mode: options.mode,
      dataDir: options.dataDir,
      secrets: { backend: secrets.backend, detail: secrets.detail },
      notices,
    }),
    hosts,
    workspace,
    prompts,
    connections,
    terminals,
    localShells,
    tunnels,
    sftp,
    doctor,
    keys,
    agent,
    hostKeys,
    endpointOf,
    wake,
    importSshConfig,
    downloadLink,
  });
  if (options.autoStartTunnels !== false) tunnels.startAuto();

  let reuse: MuxServer | null = null;
  const serveReuse = async () => {
    reuse ??= await serveMux(path.join(options.dataDir, MUX_SOCKET), {
      connections,
      endpointNamed: (name) => {
        const target = targetNamed(hosts.tree().hosts, name);
        if (!target) throw new WarrenError('NOT_FOUND', `"${name}" is neither a saved host nor [user@]host[:port]`);
        return endpointOf(target);
      },
      log: (line) => console.error(`warren: ${line}`),
    });
  };

  return {
    handlers,
    downloads,
    hosts,
    connections,
    prompts,
    secrets,
    tunnels,
    sftp,
    doctor,
    keys,
    agent,
    notices,
    endpointOf,
    wake,
    importSshConfig,
    serveReuse,
    async close() {
      try {
        workspace.flush();
      } catch {
        /* the store said why when it failed; the directories are only a convenience */
      }
      await reuse?.close();
      prompts.close();
      const files = sftp.close();
      await tunnels.close();
      connections.closeAll();
      await files;
    },
  };
}
