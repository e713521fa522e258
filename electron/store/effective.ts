// A host's effective settings (its own, else its nearest group's, else the defaults), with no schema
// library: the store uses it, and so does the `warren` command's quick read of the tree (peek.ts).
import { userInfo } from 'node:os';
import type { Group, HostRecord, HostSettings, ResolvedHost, SettingSource } from '../../shared/model.js';

/** What a host gets when neither it nor any of its groups sets a value. */
export const DEFAULTS = {
  port: 22,
  auth: 'auto',
  keepaliveInterval: 15,
  keepaliveCountMax: 3,
} as const satisfies HostSettings;

/** `group` finds a group by id, or throws when there is none. */
export function effectiveSettings(h: HostRecord, group: (id: string) => Group): ResolvedHost {
  const chain: Group[] = [];
  for (let g = h.groupId; g !== null; g = group(g).parentId) chain.push(group(g));
  const sources: Record<string, SettingSource> = {};
  const value = (k: keyof HostSettings): unknown => {
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
      : k === 'identityFile' || k === 'jump' || k === 'proxyCommand' || k === 'sftpSudo' || k === 'forwardAgent' || k === 'color' || k === 'remoteCommand'
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
    color: value('color') as string | null,
    remoteCommand: value('remoteCommand') as string | null,
    sources,
  };
}
