import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { WarrenError } from '../../shared/errors.js';
import type { CallArgs, ImportReport } from '../../shared/contract.js';
import { forwardArgs } from '../../shared/sshcommand.js';
import type { PlannedHost } from '../sshconfig/import.js';
import {
  Host,
  settingKeys,
  tunnelProblems,
  type Group,
  type HostRecord,
  type HostSettings,
  type ResolvedHost,
  type SettingSource,
  type Tree,
  type Tunnel,
} from '../../shared/model.js';
import type { Secrets } from './secrets.js';
import type { ConfLike, SettingsDoc } from './settings.js';

/** What a host gets when neither it nor any of its groups sets a value. */
export const DEFAULTS = {
  port: 22,
  auth: 'auto',
  keepaliveInterval: 15,
  keepaliveCountMax: 3,
} as const satisfies HostSettings;

export const secretAccount = (hostId: string, kind: 'password' | 'passphrase') => `host:${hostId}:${kind}`;
export const socksAccount = (tunnelId: string) => `tunnel:${tunnelId}:socks`;

/**
 * Hosts and groups: the tree, its edits, group inheritance, and the saved secrets that belong to
 * hosts. Every change is written through at once (conf writes atomically) and announced.
 */
export class HostStore {
  private doc: SettingsDoc;
  private readonly listeners = new Set<(tree: Tree) => void>();

  constructor(
    private readonly conf: ConfLike,
    doc: SettingsDoc,
    private readonly secrets: Secrets,
  ) {
    this.doc = doc;
  }

  tree(): Tree {
    return { groups: this.doc.groups, hosts: this.doc.hosts, tunnels: this.doc.tunnels };
  }

  onChange(listener: (tree: Tree) => void): () => void {
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
    const g: Group = { id: randomUUID(), name: input.name, parentId: input.parentId, defaults: input.defaults };
    this.commit({ ...this.doc, groups: [...this.doc.groups, g] });
    return g;
  }

  updateGroup(input: CallArgs<'groups.update'>): Group {
    const old = this.group(input.id);
    const parentId = input.parentId === undefined ? old.parentId : input.parentId;
    for (let p = parentId; p !== null; p = this.group(p).parentId) {
      if (p === old.id) throw new WarrenError('CONFLICT', `Group "${old.name}" cannot be moved into itself or one of its own subgroups.`);
    }
    const g: Group = { ...old, name: input.name ?? old.name, parentId, defaults: input.defaults ?? old.defaults };
    this.commit({ ...this.doc, groups: this.doc.groups.map((x) => (x.id === g.id ? g : x)) });
    return g;
  }

  async deleteGroup(id: string, recursive: boolean): Promise<void> {
    const g = this.group(id);
    const groupIds = new Set([id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const x of this.doc.groups) {
        if (x.parentId !== null && groupIds.has(x.parentId) && !groupIds.has(x.id)) {
          groupIds.add(x.id);
          grew = true;
        }
      }
    }
    const hosts = this.doc.hosts.filter((h) => h.groupId !== null && groupIds.has(h.groupId));
    if (!recursive && (groupIds.size > 1 || hosts.length > 0)) {
      throw new WarrenError(
        'CONFLICT',
        `Group "${g.name}" still holds ${hosts.length} host(s) and ${groupIds.size - 1} group(s); delete it with everything in it, or move them out first.`,
      );
    }
    const hostIds = new Set(hosts.map((h) => h.id));
    const tunnels = this.doc.tunnels.filter((t) => hostIds.has(t.hostId));
    this.commit({
      ...this.doc,
      groups: this.doc.groups.filter((x) => !groupIds.has(x.id)),
      hosts: this.doc.hosts.filter((h) => !hostIds.has(h.id)),
      tunnels: this.doc.tunnels.filter((t) => !hostIds.has(t.hostId)),
    });
    for (const h of hosts) await this.forgetSecrets(h);
    for (const t of tunnels) if (t.hasSocksPassword) await this.secrets.delete(socksAccount(t.id));
  }

  async createHost(input: CallArgs<'hosts.create'>): Promise<HostRecord> {
    if (input.groupId !== null) this.group(input.groupId);
    const { password, passphrase, ...fields } = input;
    const id = randomUUID();
    if (password !== undefined) await this.secrets.set(secretAccount(id, 'password'), password);
    if (passphrase !== undefined) await this.secrets.set(secretAccount(id, 'passphrase'), passphrase);
    const h: HostRecord = { ...fields, id, hasPassword: password !== undefined, hasPassphrase: passphrase !== undefined };
    this.commit({ ...this.doc, hosts: [...this.doc.hosts, h] });
    return h;
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
    const h = this.host(id);
    const tunnels = this.doc.tunnels.filter((t) => t.hostId === id);
    this.commit({ ...this.doc, hosts: this.doc.hosts.filter((x) => x.id !== id), tunnels: this.doc.tunnels.filter((t) => t.hostId !== id) });
    await this.forgetSecrets(h);
    for (const t of tunnels) if (t.hasSocksPassword) await this.secrets.delete(socksAccount(t.id));
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
    const h = this.host(id);
    const chain: Group[] = [];
    for (let g = h.groupId; g !== null; g = this.group(g).parentId) chain.push(this.group(g));
    const sources: Record<string, SettingSource> = {};
    const value = (k: (typeof settingKeys)[number]): unknown => {
      if (h[k] !== undefined) {
        sources[k] = { kind: 'host' };
        return h[k];
      }
      for (const g of chain) {
        if (g.defaults[k] !== undefined) {
          sources[k] = { kind: 'group', groupId: g.id, groupName: g.name };
          return g.defaults[k];
        }
      }
      sources[k] = { kind: 'default' };
      return k === 'user'
        ? userInfo().username
        : k === 'identityFile' || k === 'jump' || k === 'proxyCommand' || k === 'sftpSudo' || k === 'forwardAgent'
          ? null
          : DEFAULTS[k];
    };
    return {
      hostname: h.hostname,
      port: value('port') as number,
      user: value('user') as string,
      auth: value('auth') as ResolvedHost['auth'],
      identityFile: value('identityFile') as string | null,
      keepaliveInterval: value('keepaliveInterval') as number,
      keepaliveCountMax: value('keepaliveCountMax') as number,
      jump: value('jump') as string | null,
      proxyCommand: value('proxyCommand') as string | null,
      sftpSudo: value('sftpSudo') as string | null,
      forwardAgent: value('forwardAgent') as string | null,
      sources,
    };
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
  importPlan(groupName: string, plan: PlannedHost[]): ImportReport {
    const doc = structuredClone(this.doc);
    let group = doc.groups.find((g) => g.parentId === null && g.name === groupName);
    if (!group) {
      group = { id: randomUUID(), name: groupName, parentId: null, defaults: {} };
      doc.groups.push(group);
    }
    const report: ImportReport = { groupId: group.id, created: [], updated: [], skipped: [], tunnelsAdded: 0, notApplied: [], problems: [] };
    for (const p of plan) {
      const fields = Host.omit({ id: true }).safeParse({ ...p.settings, name: p.alias, groupId: group.id });
      if (!fields.success) {
        report.skipped.push({ host: p.alias, why: fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        continue;
      }
      const existing = doc.hosts.find((h) => h.groupId === group.id && h.name === p.alias);
      const host: HostRecord = {
        ...fields.data,
        id: existing?.id ?? randomUUID(),
        hasPassword: existing?.hasPassword ?? false,
        hasPassphrase: existing?.hasPassphrase ?? false,
      };
      if (existing) doc.hosts[doc.hosts.indexOf(existing)] = host;
      else doc.hosts.push(host);
      (existing ? report.updated : report.created).push(p.alias);
      for (const t of p.tunnels) {
        const same = (x: Tunnel) =>
          x.hostId === host.id &&
          x.kind === t.kind &&
          x.bindAddress === t.bindAddress &&
          x.bindPort === t.bindPort &&
          x.destHost === t.destHost &&
          x.destPort === t.destPort;
        if (doc.tunnels.some(same)) continue;
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
    this.doc = doc;
    const tree = this.tree();
    for (const l of this.listeners) l(tree);
  }
}
