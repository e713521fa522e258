import { randomUUID } from 'node:crypto';
import { WarrenError } from '../../shared/errors.js';
import type { CallArgs, CallOutput, ImportReport } from '../../shared/contract.js';
import { diffTree, InventoryFile, type TreeChange } from '../../shared/inventory.js';
import { forwardArgs } from '../../shared/sshcommand.js';
import { hasHiddenCharacters, visible } from '../../shared/untrusted.js';
import type { PlannedHost } from '../sshconfig/import.js';
import {
  Host,
  parseJumpSpec,
  tunnelProblems,
  type Group,
  type HostRecord,
  type HostSettings,
  type ResolvedHost,
  type Tree,
  type Tunnel,
} from '../../shared/model.js';
import { effectiveSettings } from './effective.js';
import type { Secrets } from './secrets.js';
import type { ConfLike, SettingsDoc } from './settings.js';
import type { AppSettings, SettingsPatch, TerminalSettings } from '../../shared/settings.js';
import { effectiveTerminal } from '../../shared/terminal-profile.js';
import type { Snippet, SnippetInput } from '../../shared/snippets.js';
import type { StoredWorkspace } from '../../shared/workspace.js';

/** How deep an imported file may nest its groups (under the group it is imported into). */
const IMPORT_MAX_DEPTH = 64;

/**
 * What an inventory file from someone else may not carry, checked before anything is imported: two
 * records with one id (they would stay two records with one new id), a name or note with control
 * characters or direction overrides (a tree row that reads as another host), a tunnel the editor would
 * refuse (a non-loopback bind nobody confirmed).
 */
function refuseUnsafeRecords(file: InventoryFile): void {
  const refuse = (why: string) => new WarrenError('BAD_REQUEST', `This inventory file ${why}. Nothing was imported.`);
  for (const [kind, list] of [
    ['group', file.groups],
    ['host', file.hosts],
    ['tunnel', file.tunnels],
  ] as const) {
    const ids = new Set<string>();
    for (const { id, name } of list) {
      if (ids.has(id)) throw refuse(`has the ${kind} id "${id}" twice`);
      ids.add(id);
      if (hasHiddenCharacters(name)) throw refuse(`names a ${kind} "${visible(name)}", with control characters or direction overrides`);
    }
  }
  for (const h of file.hosts)
    if (h.notes !== undefined && hasHiddenCharacters(h.notes.replace(/\r\n|[\n\t]/g, ' ')))
      throw refuse(`has notes for host "${h.name}" with control characters or direction overrides`);
  for (const t of file.tunnels) {
    const problems = tunnelProblems(t);
    if (problems.length > 0) throw refuse(`has a tunnel "${t.name}" Warren would not save: ${problems.join('; ')}`);
  }
}

export { DEFAULTS } from './effective.js';

export const secretAccount = (hostId: string, kind: 'password' | 'passphrase') => `host:${hostId}:${kind}`;
export const socksAccount = (tunnelId: string) => `tunnel:${tunnelId}:socks`;

/** A host's stored fields without its id: what an import checks each planned host against. */
const HostFields = Host.omit({ id: true });

/** How many hosts "recent" keeps. */
export const RECENT_MAX = 10;

/**
 * Hosts and groups: the tree, its edits, group inheritance, and the saved secrets that belong to
 * hosts. Every operation is one atomic write, however many hosts it touches (conf writes the whole
 * file through a temp file), and one announced change, which carries only the records it replaced.
 */
export class HostStore {
  private doc: SettingsDoc;
  private readonly listeners = new Set<(tree: Tree, change: TreeChange) => void>();
  private readonly settingsListeners = new Set<(settings: AppSettings) => void>();

  constructor(
    private readonly conf: ConfLike,
    doc: SettingsDoc,
    private readonly secrets: Secrets,
  ) {
    this.doc = doc;
  }

  tree(): Tree {
    const { groups, hosts, tunnels, recent, tagColors } = this.doc;
    return { groups, hosts, tunnels, recent, tagColors };
  }

  /** The app's own preferences (the terminal's look and keys), kept in the same document as the tree. */
  appSettings(): AppSettings {
    return { terminal: this.doc.terminal, snippets: this.doc.snippets };
  }

  /** The saved terminal workspace (tabs, layouts, the panes' directories), or null. */
  workspace(): StoredWorkspace | null {
    return this.doc.workspace;
  }

  /** Replaces the saved workspace (null: none); nobody is told, it is not a setting anyone watches. */
  setWorkspace(workspace: StoredWorkspace | null): void {
    this.commit({ ...this.doc, workspace });
  }

  /** Saves a snippet, new (no id) or replacing one; a group or host scope must name one that exists. */
  saveSnippet(id: string | undefined, input: SnippetInput): Snippet {
    if (input.scope.kind === 'group') this.group(input.scope.groupId);
    if (input.scope.kind === 'host') this.host(input.scope.hostId);
    if (id !== undefined && !this.doc.snippets.some((s) => s.id === id)) throw new WarrenError('NOT_FOUND', 'That snippet is gone; it may have been deleted.');
    const snippet: Snippet = { ...input, id: id ?? randomUUID() };
    const snippets = id === undefined ? [...this.doc.snippets, snippet] : this.doc.snippets.map((s) => (s.id === id ? snippet : s));
    this.commitSettings({ ...this.doc, snippets });
    return snippet;
  }

  deleteSnippet(id: string): void {
    if (!this.doc.snippets.some((s) => s.id === id)) throw new WarrenError('NOT_FOUND', 'That snippet is gone; it may have been deleted.');
    this.commitSettings({ ...this.doc, snippets: this.doc.snippets.filter((s) => s.id !== id) });
  }

  /** a change of what `settings.watch` carries: written, then every watcher hears of it */
  private commitSettings(doc: SettingsDoc): void {
    this.commit(doc);
    const settings = this.appSettings();
    for (const l of this.settingsListeners) l(settings);
  }

  /** Sets the fields given, in one write; listeners hear of it only if something changed. */
  updateAppSettings(patch: SettingsPatch): AppSettings {
    // a key sent as undefined (structured clone carries it) leaves its setting as it is
    const given = Object.entries(patch.terminal).filter(([, v]) => v !== undefined);
    const terminal = { ...this.doc.terminal, ...Object.fromEntries(given) } as AppSettings['terminal'];
    const changed = (Object.keys(terminal) as (keyof typeof terminal)[]).some((k) => terminal[k] !== this.doc.terminal[k]);
    if (changed) this.commitSettings({ ...this.doc, terminal });
    return this.appSettings();
  }

  /**
   * What a host's terminals use: the app's terminal settings under its groups' and its own (effectiveTerminal);
   * the app's for a quick connect (null) or a host deleted meanwhile.
   */
  terminalSettings(hostId: string | null): TerminalSettings {
    const h = hostId === null ? undefined : this.doc.hosts.find((x) => x.id === hostId);
    if (!h) return this.doc.terminal;
    return effectiveTerminal(this.doc.terminal, h.groupId, h.terminal, (id) => this.doc.groups.find((g) => g.id === id)).settings;
  }

  /** Called after every change of the app settings with all of them. */
  onAppSettings(listener: (settings: AppSettings) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** Called after every change with the new tree and what changed. */
  onChange(listener: (tree: Tree, change: TreeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  host(id: string): HostRecord {
    const h = this.doc.hosts.find((x) => x.id === id);
    if (!h) throw new WarrenError('NOT_FOUND', `There is no host with id ${id}; it may have been deleted.`);
    return h;
  }

  group(id: string): Group {
    const g = this.doc.groups.find((x) => x.id === id);
    if (!g) throw new WarrenError('NOT_FOUND', `There is no group with id ${id}; it may have been deleted.`);
    return g;
  }

  createGroup(input: CallArgs<'groups.create'>): Group {
    if (input.parentId !== null) this.group(input.parentId);
    const g: Group = {
      id: randomUUID(),
      name: input.name,
      parentId: input.parentId,
      defaults: input.defaults,
      ...(input.terminal && { terminal: input.terminal }),
    };
    this.commit({ ...this.doc, groups: [...this.doc.groups, g] });
    return g;
  }

  updateGroup(input: CallArgs<'groups.update'>): Group {
    const old = this.group(input.id);
    const parentId = input.parentId === undefined ? old.parentId : input.parentId;
    for (let p = parentId; p !== null; p = this.group(p).parentId) {
      if (p === old.id) throw new WarrenError('CONFLICT', `Group "${old.name}" cannot be moved into itself or one of its own subgroups.`);
    }
    const { terminal: _t, ...kept } = old;
    const terminal = input.terminal === undefined ? old.terminal : (input.terminal ?? undefined);
    const g: Group = { ...kept, name: input.name ?? old.name, parentId, defaults: input.defaults ?? old.defaults, ...(terminal && { terminal }) };
    this.commit({ ...this.doc, groups: this.doc.groups.map((x) => (x.id === g.id ? g : x)) });
    return g;
  }

  async deleteGroup(id: string, recursive: boolean): Promise<void> {
    const g = this.group(id);
    if (!recursive) {
      const groups = this.subtree([id]);
      const hosts = this.doc.hosts.filter((h) => h.groupId !== null && groups.has(h.groupId)).length;
      if (groups.size > 1 || hosts > 0) {
        throw new WarrenError(
          'CONFLICT',
          `Group "${g.name}" still holds ${hosts} host(s) and ${groups.size - 1} group(s); delete it with everything in it, or move them out first.`,
        );
      }
    }
    await this.deleteItems({ hostIds: [], groupIds: [id] });
  }

  /** The groups given and every group inside them. */
  private subtree(groupIds: Iterable<string>): Set<string> {
    const children = new Map<string, string[]>();
    for (const g of this.doc.groups) {
      if (g.parentId === null) continue;
      const siblings = children.get(g.parentId);
      if (siblings) siblings.push(g.id);
      else children.set(g.parentId, [g.id]);
    }
    const out = new Set<string>();
    const todo = [...groupIds];
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      todo.push(...(children.get(id) ?? []));
    }
    return out;
  }

  /** Deletes hosts and groups (each group with everything in it) in one write; then their secrets. */
  async deleteItems({ hostIds, groupIds }: { hostIds: string[]; groupIds: string[] }): Promise<void> {
    const knownGroups = new Set(this.doc.groups.map((g) => g.id));
    for (const id of groupIds) if (!knownGroups.has(id)) this.group(id);
    const known = new Set(this.doc.hosts.map((h) => h.id));
    for (const id of hostIds) if (!known.has(id)) this.host(id);
    const groups = this.subtree(groupIds);
    const doomed = new Set(hostIds);
    for (const h of this.doc.hosts) if (h.groupId !== null && groups.has(h.groupId)) doomed.add(h.id);
    const hosts = this.doc.hosts.filter((h) => doomed.has(h.id));
    const tunnels = this.doc.tunnels.filter((t) => doomed.has(t.hostId));
    // a snippet of a deleted host or group goes with it
    const snippets = this.doc.snippets.filter(
      (s) => !(s.scope.kind === 'host' ? doomed.has(s.scope.hostId) : s.scope.kind === 'group' && groups.has(s.scope.groupId)),
    );
    (snippets.length === this.doc.snippets.length ? this.commit : this.commitSettings).call(this, {
      ...this.doc,
      groups: this.doc.groups.filter((x) => !groups.has(x.id)),
      hosts: this.doc.hosts.filter((h) => !doomed.has(h.id)),
      tunnels: this.doc.tunnels.filter((t) => !doomed.has(t.hostId)),
      recent: this.doc.recent.filter((id) => !doomed.has(id)),
      snippets,
    });
    for (const h of hosts) await this.forgetSecrets(h);
    for (const t of tunnels) if (t.hasSocksPassword) await this.secrets.delete(socksAccount(t.id));
  }

  /** Moves hosts and groups into one group (null: the top level) in one write; never a group into itself. */
  moveItems({ hostIds, groupIds, parentId }: { hostIds: string[]; groupIds: string[]; parentId: string | null }): void {
    const byId = new Map(this.doc.groups.map((g) => [g.id, g]));
    const group = (id: string) => byId.get(id) ?? this.group(id);
    // the destination and the groups above it: none of them may move into it
    const above = new Set<string>();
    for (let p = parentId; p !== null && !above.has(p); p = group(p).parentId) above.add(p);
    const moving = new Set(groupIds);
    for (const id of groupIds) {
      const g = group(id);
      if (above.has(id)) throw new WarrenError('CONFLICT', `Group "${g.name}" cannot be moved into itself or one of its own subgroups.`);
    }
    const hosts = new Set(hostIds);
    const known = new Set(this.doc.hosts.map((h) => h.id));
    for (const id of hostIds) if (!known.has(id)) this.host(id);
    this.commit({
      ...this.doc,
      groups: this.doc.groups.map((g) => (moving.has(g.id) && g.parentId !== parentId ? { ...g, parentId } : g)),
      hosts: this.doc.hosts.map((h) => (hosts.has(h.id) && h.groupId !== parentId ? { ...h, groupId: parentId } : h)),
    });
  }

  /** Adds and removes tags on hosts in one write; tags compare without case, and a host keeps the spelling it first got. */
  tagHosts({ ids, add, remove }: { ids: string[]; add: string[]; remove: string[] }): void {
    const chosen = new Set(ids);
    const known = new Set(this.doc.hosts.map((h) => h.id));
    for (const id of ids) if (!known.has(id)) this.host(id);
    const dropped = new Set(remove.map((t) => t.toLowerCase()));
    const hosts = this.doc.hosts.map((h) => {
      if (!chosen.has(h.id)) return h;
      const tags = (h.tags ?? []).filter((t) => !dropped.has(t.toLowerCase()));
      for (const t of add) if (!tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t);
      if (tags.length > 32) throw new WarrenError('BAD_REQUEST', `Host "${h.name}" would have ${tags.length} tags; a host has at most 32.`);
      const same = tags.length === (h.tags ?? []).length && tags.every((t, i) => t === h.tags?.[i]);
      if (same) return h;
      const { tags: _old, ...rest } = h;
      return tags.length > 0 ? { ...rest, tags } : rest;
    });
    this.commit({ ...this.doc, hosts });
  }

  /** A tag's colour; null returns it to the colour it gets from its name. */
  setTagColor(tag: string, color: string | null): void {
    const key = tag.toLowerCase();
    const { [key]: _old, ...rest } = this.doc.tagColors;
    this.commit({ ...this.doc, tagColors: color === null ? rest : { ...rest, [key]: color.toLowerCase() } });
  }

  /** The whole inventory as a file to share: no secrets, nor whether any are saved. */
  exportInventory(): InventoryFile {
    return {
      format: 'warren-inventory',
      version: 1,
      groups: this.doc.groups,
      // a link to an ssh_config is this machine's: the file moves as copies
      hosts: this.doc.hosts.map(({ hasPassword: _p, hasPassphrase: _q, bannerSeen: _b, linked: _l, ...h }) => h),
      tunnels: this.doc.tunnels.map(({ hasSocksPassword: _s, ...t }) => t),
    };
  }

  /**
   * Adds a shared inventory under a new top-level group, in one write: its groups keep their nesting,
   * its hosts their groups and its tunnels their hosts; every id is new, so nothing here is replaced.
   * A group or host pointing at one the file lacks goes to the top of the new group.
   */
  importInventory(text: string, name: string): CallOutput<'inventory.import'> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new WarrenError('BAD_REQUEST', `The inventory file is not JSON (${(e as Error).message}); nothing was imported.`);
    }
    const parsed = InventoryFile.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new WarrenError(
        'BAD_REQUEST',
        `This is not a Warren inventory file (version 1): at ${first?.path.join('.') || '(top)'}: ${first?.message}. Nothing was imported.`,
      );
    }
    const file = parsed.data;
    refuseUnsafeRecords(file);
    this.refuseHopTakeover(file);
    const top: Group = { id: randomUUID(), name, parentId: null, defaults: {} };
    const groupIds = new Map<string, string>(file.groups.map((g) => [g.id, randomUUID()]));
    const hostIds = new Map<string, string>(file.hosts.map((h) => [h.id, randomUUID()]));
    // agent forwarding lets the server use your keys: only you turn it on, never a file (as with ssh_config import)
    const forwards = (x: HostSettings) => x.forwardAgent !== undefined && x.forwardAgent !== 'none';
    const agentForwarding = [
      ...file.hosts.filter(forwards).map((h) => h.name),
      ...file.groups.filter((g) => forwards(g.defaults)).map((g) => `group ${g.name}`),
    ];
    const groups = file.groups.map(({ defaults: { forwardAgent: _a, ...defaults }, ...g }) => ({
      ...g,
      defaults,
      id: groupIds.get(g.id)!,
      parentId: (g.parentId !== null && groupIds.get(g.parentId)) || top.id,
    }));
    // a cycle of groups in the file would hide them all: each is broken where a walk up from a group comes back to it, that group going to the top of the new group (every group walked once)
    const byId = new Map(groups.map((g) => [g.id, g]));
    const walked = new Map<string, 'now' | 'before'>();
    for (const g of groups) {
      const path: Group[] = [];
      let p: Group | undefined = g;
      for (; p && !walked.has(p.id); p = byId.get(p.parentId!)) {
        walked.set(p.id, 'now');
        path.push(p);
      }
      if (p && walked.get(p.id) === 'now') p.parentId = top.id;
      for (const x of path) walked.set(x.id, 'before');
    }
    // the tree is drawn by walking it: a file nesting thousands of groups would only be a way to break it
    const depth = new Map<string, number>();
    for (const g of groups) {
      const path: Group[] = [];
      let p: Group | undefined = g;
      for (; p && !depth.has(p.id); p = byId.get(p.parentId!)) path.push(p);
      let d = p ? depth.get(p.id)! : 0;
      for (const x of path.reverse()) depth.set(x.id, ++d);
      if (d > IMPORT_MAX_DEPTH)
        throw new WarrenError('BAD_REQUEST', `This inventory file nests groups more than ${IMPORT_MAX_DEPTH} deep. Nothing was imported.`);
    }
    const hosts: HostRecord[] = file.hosts.map(({ forwardAgent: _a, ...h }) => ({
      ...h,
      id: hostIds.get(h.id)!,
      groupId: (h.groupId !== null && groupIds.get(h.groupId)) || top.id,
      hasPassword: false,
      hasPassphrase: false,
    }));
    // a SOCKS user needs its password, which the file does not carry: the tunnel comes without one
    const tunnels: Tunnel[] = file.tunnels.flatMap(({ socksUser: _u, ...t }) => {
      const hostId = hostIds.get(t.hostId);
      return hostId ? [{ ...t, id: randomUUID(), hostId, hasSocksPassword: false, autoStart: false }] : [];
    });
    this.commit({
      ...this.doc,
      groups: [...this.doc.groups, top, ...groups],
      hosts: [...this.doc.hosts, ...hosts],
      tunnels: [...this.doc.tunnels, ...tunnels],
    });
    const proxyCommands = [...hosts, ...groups.map((g) => ({ name: `group ${g.name}`, proxyCommand: g.defaults.proxyCommand }))].flatMap((x) =>
      x.proxyCommand ? [x.name] : [],
    );
    const runs = (x: HostSettings) => x.remoteCommand !== undefined && x.remoteCommand !== 'none';
    const remoteCommands = [...hosts.filter(runs).map((h) => h.name), ...groups.filter((g) => runs(g.defaults)).map((g) => `group ${g.name}`)];
    return { groupId: top.id, groups: groups.length, hosts: hosts.length, tunnels: tunnels.length, proxyCommands, remoteCommands, agentForwarding };
  }

  /**
   * A jump hop named like a saved host is that host: a file's host named like a hop your hosts reach by
   * address now (no saved host has its name) would route them through the file's host (its address,
   * user, ProxyCommand) from then on. Such a file is refused.
   */
  private refuseHopTakeover(file: InventoryFile): void {
    const saved = new Set(this.doc.hosts.map((h) => h.name.toLowerCase()));
    const hops = new Map<string, string>();
    for (const [owner, jump] of [
      ...this.doc.hosts.map((h) => [h.name, h.jump] as const),
      ...this.doc.groups.map((g) => [`group ${g.name}`, g.defaults.jump] as const),
    ]) {
      if (jump === undefined || jump === 'none') continue;
      for (const hop of parseJumpSpec(jump) ?? []) {
        const name = hop.hostname.toLowerCase();
        if (!saved.has(name) && !hops.has(name)) hops.set(name, owner);
      }
    }
    for (const h of file.hosts) {
      const owner = hops.get(h.name.toLowerCase());
      if (owner !== undefined)
        throw new WarrenError(
          'BAD_REQUEST',
          `This inventory file has a host named "${h.name}", which ${owner} uses as a jump host by its address: imported, it would send ${owner} through the file's "${h.name}" instead. Save a host named "${h.name}" yourself first, or rename it in the file. Nothing was imported.`,
        );
    }
  }

  /** The host was just connected to: first in "recent". */
  noteRecent(id: string): void {
    if (this.doc.recent[0] === id || !this.doc.hosts.some((h) => h.id === id)) return;
    this.commit({ ...this.doc, recent: [id, ...this.doc.recent.filter((x) => x !== id)].slice(0, RECENT_MAX) });
  }

  async createHost(input: CallArgs<'hosts.create'>): Promise<HostRecord> {
    const [id] = await this.createHosts([input]);
    return this.host(id!);
  }

  /** Creates hosts in one write: every one of them, or (a group missing) none. */
  async createHosts(inputs: CallArgs<'hosts.create'>[]): Promise<string[]> {
    const groups = new Set(this.doc.groups.map((g) => g.id));
    for (const input of inputs) if (input.groupId !== null && !groups.has(input.groupId)) this.group(input.groupId);
    const records: HostRecord[] = [];
    for (const input of inputs) {
      const { password, passphrase, ...fields } = input;
      const id = randomUUID();
      if (password !== undefined) await this.secrets.set(secretAccount(id, 'password'), password);
      if (passphrase !== undefined) await this.secrets.set(secretAccount(id, 'passphrase'), passphrase);
      records.push({ ...fields, id, hasPassword: password !== undefined, hasPassphrase: passphrase !== undefined });
    }
    this.commit({ ...this.doc, hosts: [...this.doc.hosts, ...records] });
    return records.map((h) => h.id);
  }

  async updateHost(id: string, patch: CallArgs<'hosts.update'>['patch']): Promise<HostRecord> {
    const old = this.host(id);
    const { password, passphrase, ...fields } = patch;
    if (fields.groupId) this.group(fields.groupId);
    const next: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null && k !== 'groupId') delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    if (password !== undefined) next.hasPassword = await this.saveSecret(id, 'password', password);
    if (passphrase !== undefined) next.hasPassphrase = await this.saveSecret(id, 'passphrase', passphrase);
    const h = next as HostRecord;
    this.commit({ ...this.doc, hosts: this.doc.hosts.map((x) => (x.id === id ? h : x)) });
    return h;
  }

  async deleteHost(id: string): Promise<void> {
    await this.deleteItems({ hostIds: [id], groupIds: [] });
  }

  tunnel(id: string): Tunnel {
    const t = this.doc.tunnels.find((x) => x.id === id);
    if (!t) throw new WarrenError('NOT_FOUND', `There is no tunnel with id ${id}; it may have been deleted.`);
    return t;
  }

  async createTunnel(input: CallArgs<'tunnels.create'>): Promise<Tunnel> {
    this.host(input.hostId);
    const { socksPassword, ...fields } = input;
    if (fields.socksUser !== undefined && socksPassword === undefined)
      throw new WarrenError('BAD_REQUEST', 'A SOCKS user needs a password; without one anybody who knows the user name could use the proxy.');
    const id = randomUUID();
    if (socksPassword !== undefined) await this.secrets.set(socksAccount(id), socksPassword);
    const t: Tunnel = { ...fields, id, hasSocksPassword: socksPassword !== undefined };
    this.commit({ ...this.doc, tunnels: [...this.doc.tunnels, t] });
    return t;
  }

  async updateTunnel(id: string, patch: CallArgs<'tunnels.update'>['patch']): Promise<Tunnel> {
    const old = this.tunnel(id);
    const { socksPassword, ...fields } = patch;
    if (fields.hostId !== undefined) this.host(fields.hostId);
    const next: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    const t = next as Tunnel;
    const problems = tunnelProblems(t);
    if (problems.length > 0) throw new WarrenError('BAD_REQUEST', `The tunnel was not changed: ${problems.join('; ')}.`, { issues: problems });
    t.hasSocksPassword = socksPassword === undefined ? old.hasSocksPassword && t.socksUser !== undefined : socksPassword !== null;
    if (t.socksUser !== undefined && !t.hasSocksPassword)
      throw new WarrenError('BAD_REQUEST', 'A SOCKS user needs a password; without one anybody who knows the user name could use the proxy.');
    if (socksPassword) await this.secrets.set(socksAccount(id), socksPassword);
    else if (old.hasSocksPassword && !t.hasSocksPassword) await this.secrets.delete(socksAccount(id));
    this.commit({ ...this.doc, tunnels: this.doc.tunnels.map((x) => (x.id === id ? t : x)) });
    return t;
  }

  async deleteTunnel(id: string): Promise<void> {
    const t = this.tunnel(id);
    this.commit({ ...this.doc, tunnels: this.doc.tunnels.filter((x) => x.id !== id) });
    if (t.hasSocksPassword) await this.secrets.delete(socksAccount(id));
  }

  socksPassword(id: string): Promise<string | null> {
    return this.tunnel(id).hasSocksPassword ? this.secrets.get(socksAccount(id)) : Promise.resolve(null);
  }

  /** Saves (or, with null, forgets) a host's secret and returns whether one is saved now. */
  async saveSecret(id: string, kind: 'password' | 'passphrase', value: string | null): Promise<boolean> {
    if (value === null) await this.secrets.delete(secretAccount(id, kind));
    else await this.secrets.set(secretAccount(id, kind), value);
    return value !== null;
  }

  /** Records that a secret was saved during a connection (e.g. "save password" in a prompt). */
  markSecret(id: string, kind: 'password' | 'passphrase', saved: boolean): void {
    const key = kind === 'password' ? 'hasPassword' : 'hasPassphrase';
    const h = this.doc.hosts.find((x) => x.id === id);
    if (!h || h[key] === saved) return;
    const updated = { ...h, [key]: saved };
    this.commit({ ...this.doc, hosts: this.doc.hosts.map((x) => (x.id === id ? updated : x)) });
  }

  /** The login banner (its SHA-256) the user chose not to be shown again for this host. */
  rememberBanner(id: string, digest: string): void {
    const h = this.doc.hosts.find((x) => x.id === id);
    if (!h || h.bannerSeen === digest) return;
    this.commit({ ...this.doc, hosts: this.doc.hosts.map((x) => (x.id === id ? { ...h, bannerSeen: digest } : x)) });
  }

  /** A host's effective settings: its own, else the nearest group's that sets them, else the defaults. */
  resolve(id: string): ResolvedHost {
    return effectiveSettings(this.host(id), (g) => this.group(g));
  }

  private async forgetSecrets(h: HostRecord): Promise<void> {
    if (h.hasPassword) await this.secrets.delete(secretAccount(h.id, 'password'));
    if (h.hasPassphrase) await this.secrets.delete(secretAccount(h.id, 'passphrase'));
  }

  /**
   * Applies an ssh_config import to one group (made on the first import): hosts are matched by name,
   * so importing again updates them (and clears what the config no longer sets) instead of
   * duplicating; tunnels already present are not added twice.
   */
  /** `linkedTo`: the ssh_config the hosts stay linked to (null: copies, and a link made before is dropped) */
  importPlan(groupName: string, plan: PlannedHost[], linkedTo: string | null = null): ImportReport {
    const doc = { ...this.doc, groups: [...this.doc.groups], hosts: [...this.doc.hosts], tunnels: [...this.doc.tunnels] };
    let group = doc.groups.find((g) => g.parentId === null && g.name === groupName);
    const made = !group;
    if (!group) {
      group = { id: randomUUID(), name: groupName, parentId: null, defaults: {} };
      doc.groups.push(group);
    }
    const report: ImportReport = {
      groupId: group.id,
      groupName,
      created: [],
      updated: [],
      skipped: [],
      tunnelsAdded: 0,
      notApplied: [],
      problems: [],
    };
    const inGroup = new Map<string, number>();
    doc.hosts.forEach((h, i) => h.groupId === group.id && inGroup.set(h.name, i));
    const tunnelKey = (x: Pick<Tunnel, 'kind' | 'bindAddress' | 'bindPort'> & { destHost?: string; destPort?: number }, hostId: string) =>
      JSON.stringify([hostId, x.kind, x.bindAddress, x.bindPort, x.destHost, x.destPort]);
    const tunnelKeys = new Set(doc.tunnels.map((x) => tunnelKey(x, x.hostId)));
    for (const p of plan) {
      const fields = HostFields.safeParse({ ...p.settings, name: p.alias, groupId: group.id });
      if (!fields.success) {
        report.skipped.push({ host: p.alias, why: fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        continue;
      }
      const at = inGroup.get(p.alias);
      const existing = at === undefined ? undefined : doc.hosts[at];
      const { tags, notes, favourite, bannerSeen, terminal, remoteCommand } = existing ?? {};
      const host: HostRecord = {
        ...fields.data,
        ...(linkedTo !== null && { linked: { file: linkedTo, alias: p.alias } }),
        // what the user added in Warren stays: the config has no tags, notes, favourites or terminal settings
        // (and its RemoteCommand is not copied: a host's own Remote command is the user's)
        ...(tags && { tags }),
        ...(terminal && { terminal }),
        ...(remoteCommand !== undefined && { remoteCommand }),
        ...(notes !== undefined && { notes }),
        ...(favourite !== undefined && { favourite }),
        ...(bannerSeen !== undefined && { bannerSeen }),
        id: existing?.id ?? randomUUID(),
        hasPassword: existing?.hasPassword ?? false,
        hasPassphrase: existing?.hasPassphrase ?? false,
      };
      if (existing && at !== undefined) {
        // an unchanged host stays the same record, so the change announced carries only real edits
        if (JSON.stringify(existing) !== JSON.stringify(host)) doc.hosts[at] = host;
      } else {
        inGroup.set(p.alias, doc.hosts.length);
        doc.hosts.push(host);
      }
      (existing ? report.updated : report.created).push(p.alias);
      for (const t of p.tunnels) {
        const key = tunnelKey(t, host.id);
        if (tunnelKeys.has(key)) continue;
        tunnelKeys.add(key);
        const problems = tunnelProblems(t);
        if (problems.length > 0) {
          report.notApplied.push({ host: p.alias, keyword: `${t.kind}forward`, value: forwardArgs(t).join(' '), why: problems.join('; ') });
          continue;
        }
        doc.tunnels.push({
          ...t,
          id: randomUUID(),
          name: `${p.alias} ${forwardArgs(t).join(' ')}`,
          hostId: host.id,
          autoStart: false,
          hasSocksPassword: false,
        });
        report.tunnelsAdded++;
      }
      report.notApplied.push(...p.notApplied.map((n) => ({ host: p.alias, ...n })));
    }
    // a group made for this import that no host went into is not left behind empty
    if (made && report.created.length === 0) {
      doc.groups = doc.groups.filter((g) => g !== group);
      report.groupId = null;
    }
    this.commit(doc);
    return report;
  }

  private commit(doc: SettingsDoc): void {
    try {
      this.conf.store = doc;
    } catch (e) {
      throw new WarrenError(
        'STORE',
        `Saving settings to ${this.conf.path} failed (${(e as Error).message}); the change was not made. Check free disk space and permissions.`,
      );
    }
    const before = this.tree();
    this.doc = doc;
    const tree = this.tree();
    const change = diffTree(before, tree);
    if (change) for (const l of this.listeners) l(tree, change);
  }
}
