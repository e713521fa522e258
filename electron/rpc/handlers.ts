import type { AppInfo, ImportReport } from '../../shared/contract.js';
import type { TerminalEvent } from '../../shared/terminal.js';
import { exportSelection } from '../sshconfig/export.js';
import { isLocal, type Target } from '../../shared/model.js';
import type { AgentService } from '../agent/service.js';
import type { Doctor } from '../diagnostics/doctor.js';
import type { KeyService } from '../keys/service.js';
import type { ConnectionManager, Endpoint } from '../ssh/connections.js';
import { endpointWithKey, type HostKeyReplacer } from '../ssh/hostkey-replace.js';
import { commandFor } from '../ssh/endpoints.js';
import type { TerminalService } from '../ssh/terminals.js';
import type { LocalShellService } from '../local/shell.js';
import type { HostStore } from '../store/hosts.js';
import type { WorkspaceKeeper } from '../store/workspace.js';
import type { TunnelService } from '../tunnels/service.js';
import type { SftpService } from '../sftp/service.js';
import type { PromptBroker } from './prompts.js';
import type { Handlers } from './peer.js';

export interface HandlerDeps {
  info(): AppInfo;
  hosts: HostStore;
  workspace: WorkspaceKeeper;
  prompts: PromptBroker;
  connections: ConnectionManager;
  terminals: TerminalService;
  localShells: LocalShellService;
  tunnels: TunnelService;
  sftp: SftpService;
  doctor: Doctor;
  keys: KeyService;
  agent: AgentService;
  hostKeys: HostKeyReplacer;
  endpointOf(target: Target): Promise<Endpoint>;
  /** resume from sleep / network back */
  wake(): void;
  importSshConfig(file?: string, linked?: boolean): Promise<ImportReport>;
  /** browser mode: a link its server serves as an HTTP download of the file (sftp/links.ts) */
  downloadLink(target: Target, path: string): Promise<{ href: string }>;
}

const ok = { ok: true } as const;

/** Emits the current value, then every change, until the stream is aborted. */
async function watch<T>(current: () => T, subscribe: (l: (v: T) => void) => () => void, emit: (v: T) => void, signal: AbortSignal): Promise<void> {
  emit(current());
  const stop = subscribe(emit);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stop();
}

/** The contract's handlers: thin adapters from validated inputs to the services. */
export function createHandlers(d: HandlerDeps): Handlers {
  return {
    calls: {
      'app.info': () => d.info(),
      'tree.get': () => d.hosts.tree(),
      'groups.create': (i) => d.hosts.createGroup(i),
      'groups.update': (i) => d.hosts.updateGroup(i),
      'groups.delete': async (i) => {
        await d.hosts.deleteGroup(i.id, i.recursive);
        return ok;
      },
      'hosts.create': (i) => d.hosts.createHost(i),
      'hosts.createMany': async (i) => ({ ids: await d.hosts.createHosts(i.hosts) }),
      'items.move': (i) => (d.hosts.moveItems(i), ok),
      'items.delete': async (i) => (await d.hosts.deleteItems(i), ok),
      'hosts.tag': (i) => (d.hosts.tagHosts(i), ok),
      'tags.color': (i) => (d.hosts.setTagColor(i.tag, i.color), ok),
      'inventory.export': () => ({ text: JSON.stringify(d.hosts.exportInventory(), null, 2) }),
      'inventory.import': (i) => d.hosts.importInventory(i.text, i.name),
      'hosts.update': (i) => d.hosts.updateHost(i.id, i.patch),
      'hosts.delete': async (i) => {
        await d.hosts.deleteHost(i.id);
        return ok;
      },
      'hosts.resolve': (i) => d.hosts.resolve(i.id),
      'sshconfig.import': (i) => d.importSshConfig(i.file, i.linked),
      'hosts.command': async (i) => ({ command: commandFor(await d.endpointOf({ hostId: i.id })) }),
      'hosts.export': (i) => {
        for (const id of i.hostIds) d.hosts.host(id);
        for (const id of i.groupIds) d.hosts.group(id);
        return { text: exportSelection(d.hosts.tree(), (id) => d.hosts.resolve(id), i) };
      },
      'prompts.answer': (i) => {
        d.prompts.answer(i.id, i.answer);
        return ok;
      },
      'terminal.input': (i) => {
        d.terminals.input(i.sessionId, i.data);
        return ok;
      },
      'terminal.resize': (i) => {
        d.terminals.resize(i.sessionId, i.cols, i.rows);
        return ok;
      },
      'terminal.ack': (i) => {
        d.terminals.ack(i.sessionId, i.bytes);
        return ok;
      },
      'terminal.background': (i) => {
        d.terminals.setBackground(i.sessionId, i.background);
        return ok;
      },
      'terminal.reconnect': (i) => {
        d.terminals.reconnect(i.sessionId);
        return ok;
      },
      'terminal.cwd': (i) => ({ path: d.terminals.cwd(i.sessionId) }),
      'terminal.log.start': (i) => d.terminals.startLog(i.sessionId, { timestamps: i.timestamps, folder: i.folder }),
      'terminal.log.stop': async (i) => {
        await d.terminals.stopLog(i.sessionId);
        return ok;
      },
      'terminal.log.folder': () => ({ path: d.terminals.logFolder() }),
      'app.wake': () => {
        d.wake();
        return ok;
      },
      'connections.list': () => d.connections.list(),
      'connections.log': (i) => ({ lines: d.connections.log(i.id) }),
      'tunnels.create': (i) => d.tunnels.create(i),
      'tunnels.update': (i) => d.tunnels.update(i.id, i.patch),
      'tunnels.delete': async (i) => {
        await d.tunnels.delete(i.id);
        return ok;
      },
      'tunnels.start': (i) => d.tunnels.start(i.id),
      'tunnels.stop': (i) => d.tunnels.stop(i.id),
      'tunnels.freePort': async (i) => ({ port: await d.tunnels.freePort(i.bindAddress) }),
      'tunnels.command': async (i) => ({ command: await d.tunnels.command(i.id) }),
      'sftp.home': (i) => d.sftp.browse(i.target).home(),
      'sftp.list': (i) => d.sftp.browse(i.target).list(i.path),
      'sftp.stat': (i) => d.sftp.browse(i.target).stat(i.path),
      'sftp.mkdir': (i) => d.sftp.browse(i.target).mkdir(i.path),
      'sftp.rename': (i) => d.sftp.browse(i.target).rename(i.from, i.to),
      'sftp.delete': (i) => d.sftp.browse(i.target).delete(i.path, i.recursive),
      'sftp.chmod': (i) => d.sftp.browse(i.target).chmod(i.path, i.mode),
      'sftp.dragOut': (i) => d.sftp.dragOut.start(i.target, i.paths),
      'local.home': () => d.sftp.browse(null).home(),
      'local.list': (i) => d.sftp.browse(null).list(i.path),
      'local.stat': (i) => d.sftp.browse(null).stat(i.path),
      'local.mkdir': (i) => d.sftp.browse(null).mkdir(i.path),
      'local.rename': (i) => d.sftp.browse(null).rename(i.from, i.to),
      'local.delete': (i) => d.sftp.browse(null).delete(i.path, i.recursive),
      'local.chmod': (i) => d.sftp.browse(null).chmod(i.path, i.mode),
      'transfers.enqueue': (i) => d.sftp.transfers.enqueue(i),
      'transfers.cancel': (i) => (d.sftp.transfers.cancel(i.id), ok),
      'transfers.retry': (i) => (d.sftp.transfers.retry(i.id), ok),
      'transfers.resume': (i) => (d.sftp.transfers.resume(i.id), ok),
      'transfers.clear': () => (d.sftp.transfers.clear(), ok),
      'upload.begin': (i) => d.sftp.transfers.beginUpload(i),
      'upload.chunk': async (i) => (await d.sftp.transfers.uploadChunk(i.id, i.offset, i.data), ok),
      'upload.end': async (i) => (await d.sftp.transfers.endUpload(i.id), ok),
      'download.link': (i) => d.downloadLink(i.target, i.path),
      'doctor.fixKeyPermissions': (i) => d.doctor.fixKeyPermissions(i.path),
      'keys.list': () => d.keys.list(),
      'keys.generate': (i) => d.keys.generate(i),
      'keys.import': (i) => d.keys.import(i),
      'keys.changePassphrase': (i) => d.keys.changePassphrase(i),
      'keys.publicKey': async (i) => ({ line: await d.keys.publicKey(i.path) }),
      'keys.deploy': (i) => d.keys.deploy(i),
      'agent.list': () => d.agent.list(),
      'agent.add': (i) => d.agent.add({ ...i, path: d.keys.pathOf(i.path) }),
      'agent.remove': async (i) => (await d.agent.remove(i.fingerprint), ok),
      'agent.removeAll': async () => (await d.agent.removeAll(), ok),
      'hostkeys.inspect': async (i) => d.hostKeys.inspect(endpointWithKey(await d.endpointOf(i.target), i.hop)),
      'hostkeys.replace': async (i) => d.hostKeys.replace(endpointWithKey(await d.endpointOf(i.target), i.hop), i.fingerprint),
      'settings.get': () => d.hosts.appSettings(),
      'settings.set': (i) => d.hosts.updateAppSettings(i),
      'snippets.save': (i) => d.hosts.saveSnippet(i.id, i.snippet),
      'snippets.delete': (i) => (d.hosts.deleteSnippet(i.id), ok),
      'workspace.get': () => d.workspace.get(),
      'workspace.save': (i) => (d.workspace.save(i), ok),
    },
    streams: {
      'tree.watch': async (_p, emit, { signal }) => {
        emit({ kind: 'tree', tree: d.hosts.tree() });
        const stop = d.hosts.onChange((_tree, change) => emit({ kind: 'change', change }));
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        stop();
      },
      'prompts.watch': (_p, emit, { signal }) => d.prompts.watch(emit, signal),
      'settings.watch': (_p, emit, { signal }) =>
        watch(
          () => d.hosts.appSettings(),
          (l) => d.hosts.onAppSettings(l),
          emit,
          signal,
        ),
      'connections.watch': (_p, emit, { signal }) =>
        watch(
          () => d.connections.list(),
          (l) => d.connections.onChange(l),
          emit,
          signal,
        ),
      'terminal.session': async (p, emit, { signal }) => {
        const { target, pane, restore } = p;
        const cwd =
          pane === undefined ? undefined : { cwd: restore ? d.workspace.cwdOf(pane) : null, onCwd: (path: string) => d.workspace.noteCwd(pane, path) };
        if (isLocal(target)) return d.localShells.run({ cols: p.cols, rows: p.rows }, emit, signal, cwd);
        const hostId = 'hostId' in target ? target.hostId : null;
        const recorded = (event: TerminalEvent) => {
          if (event.type === 'opened' && hostId !== null) d.hosts.noteRecent(hostId);
          emit(event);
        };
        return d.terminals.run(await d.endpointOf(target), { cols: p.cols, rows: p.rows }, recorded, signal, cwd);
      },
      'tunnels.watch': (_p, emit, { signal }) =>
        watch(
          () => d.tunnels.list(),
          (l) => d.tunnels.onChange(l),
          emit,
          signal,
        ),
      'transfers.watch': (_p, emit, { signal }) => d.sftp.transfers.watch(emit, signal),
      'sftp.watch': (p, emit, { signal }) => d.sftp.watch(p.target, emit, signal),
      'doctor.run': async (p, emit, { signal }) => {
        await d.doctor.run(await d.endpointOf(p.target), p, emit, signal);
      },
      'keys.rotate': (p, emit, { signal }) => d.keys.rotate(p, emit, signal),
    },
  };
}
