// The contract's inventory section: the tree of groups, hosts and tunnels, its edits (one host or
// thousands in one call), and the watch that sends the tree once and then only what changed.
import { z } from 'zod';
import { Color, Group, Host, HostMarks, HostRecord, HostSettings, Id, ResolvedHost, Tag, Tree, Tunnel, TunnelFields } from './model.js';
import { call, empty, ok, SecretField, stream } from './spec.js';
import { TerminalOverride } from './terminal-profile.js';

export const HostInput = HostSettings.extend({
  name: z.string().trim().min(1).max(120),
  groupId: Id.nullable(),
  hostname: HostRecord.shape.hostname,
  ...HostMarks.shape,
  terminal: TerminalOverride.optional(),
  /** a password to save in the keychain/vault; never stored in settings */
  password: SecretField.optional(),
  /** a key passphrase to save in the keychain/vault */
  passphrase: SecretField.optional(),
}).strict();
export type HostInput = z.input<typeof HostInput>;

const editable = { ...HostSettings.shape, ...HostMarks.shape };
/** Every host setting and mark, `null` clearing it (a setting is then inherited again): a new field appears here by itself. */
const clearable = Object.fromEntries(Object.entries(editable).map(([key, schema]) => [key, schema.unwrap().nullable()])) as {
  [K in keyof typeof editable]: z.ZodNullable<ReturnType<(typeof editable)[K]['unwrap']>>;
};

/** `null` in an update clears an override, so the host inherits that setting again. */
export const HostPatch = z
  .object({
    name: z.string().trim().min(1).max(120),
    hostname: HostRecord.shape.hostname,
    /** moves the host (drag and drop, or the editor's group field) */
    groupId: Id.nullable(),
    ...clearable,
    /** the host's terminal settings, replaced as a whole; null: it inherits every one again */
    terminal: TerminalOverride.nullable(),
    /** a new password to save, or null to forget the saved one */
    password: SecretField.nullable(),
    passphrase: SecretField.nullable(),
  })
  .partial()
  .strict();

/** The most a bulk call takes at once: an inventory of ten thousand hosts, twice over. */
export const BULK_MAX = 20_000;
const Ids = z.array(Id).max(BULK_MAX);

/** What changed in the tree: records added or replaced (whole), and the ids of those removed. */
export const TreeChange = z.object({
  groups: z.array(Group),
  hosts: z.array(HostRecord),
  tunnels: z.array(Tunnel),
  removed: z.object({ groups: z.array(Id), hosts: z.array(Id), tunnels: z.array(Id) }),
  recent: Tree.shape.recent.optional(),
  tagColors: Tree.shape.tagColors.optional(),
});
export type TreeChange = z.infer<typeof TreeChange>;

/** `tree.watch`: the whole tree when it starts, then each change as it is made. */
export const TreeEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tree'), tree: Tree }),
  z.object({ kind: z.literal('change'), change: TreeChange }),
]);
export type TreeEvent = z.infer<typeof TreeEvent>;

/**
 * The whole inventory as a file a team can share (`warren-inventory.json`): groups, hosts and tunnels,
 * never a secret, nor whether one is saved here. Ids are the file's own: importing makes new ones.
 */
export const InventoryFile = z.object({
  format: z.literal('warren-inventory'),
  version: z.literal(1),
  groups: z.array(Group).max(BULK_MAX),
  hosts: z.array(Host.extend(HostMarks.shape)).max(BULK_MAX),
  tunnels: z.array(TunnelFields.extend({ id: Id })).max(BULK_MAX),
});
export type InventoryFile = z.infer<typeof InventoryFile>;

export const inventoryCalls = {
  'tree.get': call(empty, Tree),
  'groups.create': call(
    z.object({ name: Group.shape.name, parentId: Id.nullable(), defaults: HostSettings.default({}), terminal: TerminalOverride.optional() }).strict(),
    Group,
  ),
  /**
   * `defaults` replaces the group's defaults as a whole, `terminal` its terminal settings (null: none of its
   * own); `parentId` moves the group (never into itself)
   */
  'groups.update': call(
    z
      .object({
        id: Id,
        name: Group.shape.name.optional(),
        parentId: Id.nullable().optional(),
        defaults: HostSettings.optional(),
        terminal: TerminalOverride.nullable().optional(),
      })
      .strict(),
    Group,
  ),
  /** a group that still holds hosts or groups is deleted only with `recursive` */
  'groups.delete': call(z.object({ id: Id, recursive: z.boolean().default(false) }).strict(), ok),
  'hosts.create': call(HostInput, HostRecord),
  /** many hosts in one write (a pasted inventory, a script): all of them or, on a bad one, none */
  'hosts.createMany': call(z.object({ hosts: z.array(HostInput).min(1).max(BULK_MAX) }).strict(), z.object({ ids: z.array(Id) })),
  'hosts.update': call(z.object({ id: Id, patch: HostPatch }).strict(), HostRecord),
  'hosts.delete': call(z.object({ id: Id }).strict(), ok),
  /** the effective settings of a host after group inheritance, and where each came from */
  'hosts.resolve': call(z.object({ id: Id }).strict(), ResolvedHost),
  /** "copy as ssh command": the OpenSSH command line for this host, jump chain spelled out */
  'hosts.command': call(z.object({ id: Id }).strict(), z.object({ command: z.string() })),
  /** a selection of hosts and groups moved into one group (null: the top level) in one write */
  'items.move': call(z.object({ hostIds: Ids, groupIds: Ids, parentId: Id.nullable() }).strict(), ok),
  /** a selection deleted in one write: groups with everything in them, hosts with their tunnels and saved secrets */
  'items.delete': call(z.object({ hostIds: Ids, groupIds: Ids }).strict(), ok),
  /** tags added to and removed from a selection of hosts in one write */
  'hosts.tag': call(z.object({ ids: Ids.min(1), add: z.array(Tag).max(32).default([]), remove: z.array(Tag).max(32).default([]) }).strict(), ok),
  /** a selection as an ssh_config snippet (groups with everything in them, plus the saved hosts their jumps go through) */
  'hosts.export': call(z.object({ hostIds: Ids, groupIds: Ids }).strict(), z.object({ text: z.string() })),
  /** the whole inventory as a shareable file (InventoryFile, as JSON text) */
  'inventory.export': call(empty, z.object({ text: z.string() })),
  /** a shared inventory file added under a new top-level group, its structure kept, every id new */
  'inventory.import': call(
    z.object({ text: z.string().max(64 << 20), name: z.string().trim().min(1).max(120) }).strict(),
    /**
     * `proxyCommands`: the hosts that run a command from the file when connected to (worth a look before connecting);
     * `remoteCommands`: the hosts and groups whose terminals run a Remote command from the file on the server, as you;
     * `agentForwarding`: the hosts and groups whose forwardAgent the file set, which was not imported (only the user turns it on)
     */
    z.object({
      groupId: Id,
      groups: z.number(),
      hosts: z.number(),
      tunnels: z.number(),
      proxyCommands: z.array(z.string()),
      remoteCommands: z.array(z.string()),
      agentForwarding: z.array(z.string()),
    }),
  ),
  /** a tag's colour, or null for the one it gets from its name */
  'tags.color': call(z.object({ tag: Tag, color: Color.nullable() }).strict(), ok),
};

export const inventoryStreams = {
  /** the whole tree on subscribe, then only what each change touched */
  'tree.watch': stream(empty, TreeEvent),
};

type Keyed = { id: string };

/** What is in `next` and not (as the same object) in `prev`, and what `prev` had that `next` lacks. */
function diffList<T extends Keyed>(prev: readonly T[], next: readonly T[]): { put: T[]; removed: string[] } {
  const before = new Map(prev.map((x) => [x.id, x]));
  const put: T[] = [];
  for (const x of next) {
    if (before.get(x.id) !== x) put.push(x);
    before.delete(x.id);
  }
  return { put, removed: [...before.keys()] };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameColors = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * The change that turns `prev` into `next`, or null when nothing changed. Records are compared by
 * identity: the store replaces a record it edits and keeps every other one, so a change to one host of
 * ten thousand carries that host alone.
 */
export function diffTree(prev: Tree, next: Tree): TreeChange | null {
  const groups = diffList(prev.groups, next.groups);
  const hosts = diffList(prev.hosts, next.hosts);
  const tunnels = diffList(prev.tunnels, next.tunnels);
  const change: TreeChange = {
    groups: groups.put,
    hosts: hosts.put,
    tunnels: tunnels.put,
    removed: { groups: groups.removed, hosts: hosts.removed, tunnels: tunnels.removed },
  };
  if (!sameList(prev.recent, next.recent)) change.recent = next.recent;
  if (!sameColors(prev.tagColors, next.tagColors)) change.tagColors = next.tagColors;
  const empty =
    groups.put.length + hosts.put.length + tunnels.put.length + groups.removed.length + hosts.removed.length + tunnels.removed.length === 0 &&
    change.recent === undefined &&
    change.tagColors === undefined;
  return empty ? null : change;
}

/** `list` with the change applied: a record put in place of the one with its id (new ones at the end), removed ones gone; untouched records stay the same objects. */
function applyList<T extends Keyed>(list: readonly T[], put: readonly T[], removed: readonly string[]): T[] {
  if (put.length === 0 && removed.length === 0) return list as T[];
  const replace = new Map(put.map((x) => [x.id, x]));
  const gone = new Set(removed);
  const out: T[] = [];
  for (const x of list) {
    if (gone.has(x.id)) continue;
    const y = replace.get(x.id);
    out.push(y ?? x);
    replace.delete(x.id);
  }
  out.push(...replace.values());
  return out;
}

/** The tree after a change (from `diffTree`); what the change does not touch is shared with `tree`. */
export function applyTreeChange(tree: Tree, change: TreeChange): Tree {
  return {
    groups: applyList(tree.groups, change.groups, change.removed.groups),
    hosts: applyList(tree.hosts, change.hosts, change.removed.hosts),
    tunnels: applyList(tree.tunnels, change.tunnels, change.removed.tunnels),
    recent: change.recent ?? tree.recent,
    tagColors: change.tagColors ?? tree.tagColors,
  };
}
