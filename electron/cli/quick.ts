// The `warren` commands that only read the tree: ls, tunnel status and the completion scripts' names.
// They read settings.json with store/peek.ts, never the store itself, so they load neither the schema
// library, ssh2 nor the keychain; when the quick read declines a file (an older schema, a hand edit),
// they return null and the caller runs them with the services instead.
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { Group } from '../../shared/model.js';
import { hasHiddenCharacters } from '../../shared/untrusted.js';
import { effectiveSettings } from '../store/effective.js';
import { peekTree } from '../store/peek.js';
import { printTree, printTunnelStatus, tunnelsNamed, type TreeView } from './listing.js';
import { out } from './output.js';

async function quickTree(dataDir: string): Promise<TreeView | null> {
  const tree = await peekTree(dataDir);
  if (!tree) return null;
  const groups = new Map(tree.groups.map((g) => [g.id, g]));
  const hosts = new Map(tree.hosts.map((h) => [h.id, h]));
  return { ...tree, resolve: (id) => effectiveSettings(hosts.get(id)!, (g) => groups.get(g) as Group) };
}

/** `warren ls`; null: run it with the store */
export async function quickList(dataDir: string, json: boolean): Promise<number | null> {
  const tree = await quickTree(dataDir);
  if (!tree) return null;
  printTree(tree, json);
  return 0;
}

/** `warren tunnel status [NAME…]`; null: run it with the store (also for a name that is not a tunnel's, which the store reports) */
export async function quickTunnelStatus(dataDir: string, names: string[], json: boolean): Promise<number | null> {
  const tree = await quickTree(dataDir);
  const chosen = tree && tunnelsNamed(tree.tunnels, names);
  if (!tree || !chosen || typeof chosen === 'string') return null;
  await printTunnelStatus(tree, dataDir, chosen, json);
  return 0;
}

/**
 * `warren __complete hosts|groups|tunnels`: the names, one a line, for the completion scripts. Hosts are
 * the saved hosts and the Host aliases of the ssh_config (-F FILE, else ~/.ssh/config), as `warren exec`
 * takes both. A name a shell word could not hold (controls, newlines) is left out. Never fails loudly:
 * a completion prints nothing rather than an error.
 */
export async function completeNames(dataDir: string, kinds: string[], sshConfig: string | undefined): Promise<number> {
  const tree = await peekTree(dataDir).catch(() => null);
  const names = new Set<string>();
  for (const kind of kinds) {
    if (kind === 'hosts') {
      for (const h of tree?.hosts ?? []) names.add(h.name);
      const { concreteHosts } = await import('../sshconfig/resolve.js');
      const home = homedir();
      const file = sshConfig ? path.resolve(sshConfig) : path.join(home, '.ssh', 'config');
      for (const alias of await concreteHosts({ file, home, localUser: userInfo().username }).catch(() => [])) names.add(alias);
    } else if (kind === 'groups') for (const g of tree?.groups ?? []) names.add(g.name);
    else if (kind === 'tunnels') for (const t of tree?.tunnels ?? []) names.add(t.name);
  }
  const lines = [...names].filter((n) => n !== '' && !hasHiddenCharacters(n) && !/[\n\r]/.test(n));
  if (lines.length > 0) out(lines.join('\n'));
  return 0;
}
