// The tree as settings.json holds it, read for the `warren` command's listings (ls, tunnel status,
// completion) without the store: no schema library, no keychain, nothing written, so those commands
// start in a few tens of milliseconds. Only a document this Warren wrote, at the current schema and
// with every record's fields of the expected types and every reference resolving, is taken; anything
// else (an older schema, a hand edit, a corrupt file) is left to the store itself (openSettings), which
// migrates, or moves a bad file aside and says so.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Group, HostRecord, Tunnel } from '../../shared/model.js';

/** the settings document's schema version (settings.ts migrates older ones up to it) */
export const SCHEMA_VERSION = 6;

export interface PeekedTree {
  groups: Group[];
  hosts: HostRecord[];
  tunnels: Tunnel[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || str(v);
const optNum = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';
const settingsOk = (s: Obj) =>
  ['user', 'auth', 'identityFile', 'jump', 'proxyCommand', 'sftpSudo', 'forwardAgent', 'color', 'remoteCommand'].every((k) => optStr(s[k])) &&
  ['port', 'keepaliveInterval', 'keepaliveCountMax'].every((k) => optNum(s[k]));

/**
 * The groups, hosts and tunnels of `<dataDir>/settings.json`; empty when there is no such file; null
 * when the file is not one to trust without the store (then open the store).
 */
export async function peekTree(dataDir: string): Promise<PeekedTree | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'settings.json'), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { groups: [], hosts: [], tunnels: [] } : null;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(doc) || doc.schemaVersion !== SCHEMA_VERSION) return null;
  const { groups, hosts, tunnels } = doc;
  if (!Array.isArray(groups) || !Array.isArray(hosts) || !Array.isArray(tunnels)) return null;
  const groupIds = new Set<unknown>();
  for (const g of groups) {
    if (!isObj(g) || !str(g.id) || !str(g.name) || !(g.parentId === null || str(g.parentId)) || !isObj(g.defaults) || !settingsOk(g.defaults)) return null;
    groupIds.add(g.id);
  }
  // every parent exists and no chain of parents loops
  for (const g of groups as Obj[]) {
    let seen = 0;
    for (let p = g.parentId; p !== null; p = (groups as Obj[]).find((x) => x.id === p)!.parentId) {
      if (!groupIds.has(p) || ++seen > groups.length) return null;
    }
  }
  const hostIds = new Set<unknown>();
  for (const h of hosts) {
    if (!isObj(h) || !str(h.id) || !str(h.name) || !str(h.hostname) || !(h.groupId === null || groupIds.has(h.groupId)) || !settingsOk(h)) return null;
    if (!optBool(h.favourite) || !optStr(h.notes) || !(h.tags === undefined || (Array.isArray(h.tags) && h.tags.every(str)))) return null;
    hostIds.add(h.id);
  }
  for (const t of tunnels) {
    if (!isObj(t) || !str(t.id) || !str(t.name) || !hostIds.has(t.hostId) || !['local', 'remote', 'dynamic'].includes(t.kind as string)) return null;
    if (!str(t.bindAddress) || !optNum(t.bindPort) || t.bindPort === undefined || !optStr(t.destHost) || !optNum(t.destPort) || !optBool(t.autoStart))
      return null;
  }
  return { groups, hosts, tunnels } as PeekedTree;
}
