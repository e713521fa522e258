// The contract's workspace section: the terminal tabs and their split layouts, saved by the renderer
// (debounced) and kept in the main process's store, so that a reload, a server restart or an app
// restart brings them back. Each pane's working directory is the main process's to know (its
// CwdTracker); the renderer never sends one.
import { z } from 'zod';
import { TerminalTarget } from './model.js';
import { call, empty, ok } from './spec.js';

export const WORKSPACE_LIMITS = { tabs: 64, panesPerTab: 32, panes: 256, depth: 12 } as const;

/** a pane's key (also the id of its split): unique across reloads, so a restored pane's cwd is found */
export const PaneKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'pane ids are letters, digits, _ and -');

/** a tab's title or name: printable, no control characters or direction marks */
const Title = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a title has no control characters');

export type SavedLayout = { kind: 'pane'; id: string } | { kind: 'split'; id: string; dir: 'row' | 'column'; ratio: number; a: SavedLayout; b: SavedLayout };

/** how deep `v` nests through `a` / `b`, up to `limit` + 1 (checked before the recursive schema walks it) */
function depthOf(v: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    if (d > limit) return d;
    deepest = Math.max(deepest, d);
    if (node && typeof node === 'object' && (node as { kind?: unknown }).kind === 'split') {
      stack.push([(node as { a?: unknown }).a, d + 1], [(node as { b?: unknown }).b, d + 1]);
    }
  }
  return deepest;
}

const LayoutNode: z.ZodType<SavedLayout> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('pane'), id: PaneKey }).strict(),
    z
      .object({
        kind: z.literal('split'),
        id: z
          .string()
          .min(1)
          .max(80)
          .regex(/^[A-Za-z0-9_-]+$/),
        dir: z.enum(['row', 'column']),
        ratio: z.number().min(0.1).max(0.9),
        a: LayoutNode,
        b: LayoutNode,
      })
      .strict(),
  ]),
);
export const SavedLayout = z
  .unknown()
  .refine((v) => depthOf(v, WORKSPACE_LIMITS.depth) <= WORKSPACE_LIMITS.depth, `a layout nests at most ${WORKSPACE_LIMITS.depth} deep`)
  .pipe(LayoutNode);

/** the layout's panes in order; a walk without recursion (it also runs on a layout that failed its schema) */
export function layoutPanes(l: SavedLayout): string[] {
  const out: string[] = [];
  const stack: unknown[] = [l];
  while (stack.length > 0) {
    const node = stack.pop() as (Partial<Extract<SavedLayout, { kind: 'split' }>> & { id?: unknown }) | undefined;
    if (!node || typeof node !== 'object') continue;
    if (node.kind === 'split') stack.push(node.b, node.a);
    else if (typeof node.id === 'string') out.push(node.id);
  }
  return out;
}

export const SavedTab = z
  .object({
    /** the default title (the host's name, or user@host) and its number among tabs of that title */
    title: Title,
    n: z.number().int().min(1).max(999),
    name: Title.optional(),
    color: z
      .string()
      .regex(/^#[0-9a-f]{6}$/)
      .optional(),
    /** a host's shell, or `{ local: true }` (a workspace saved before local shells has only hosts) */
    target: TerminalTarget,
    layout: SavedLayout,
    focus: PaneKey,
    zoomed: PaneKey.nullable(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const panes = layoutPanes(t.layout);
    if (panes.length > WORKSPACE_LIMITS.panesPerTab) ctx.addIssue({ code: 'custom', message: `a tab has at most ${WORKSPACE_LIMITS.panesPerTab} panes` });
    if (!panes.includes(t.focus)) ctx.addIssue({ code: 'custom', path: ['focus'], message: 'the focused pane is not in the layout' });
    if (t.zoomed !== null && !panes.includes(t.zoomed)) ctx.addIssue({ code: 'custom', path: ['zoomed'], message: 'the zoomed pane is not in the layout' });
  });
export type SavedTab = z.infer<typeof SavedTab>;

/** what the renderer saves: the tabs in order, and the index of the active one */
export const Workspace = z
  .object({
    tabs: z.array(SavedTab).max(WORKSPACE_LIMITS.tabs),
    active: z.number().int().min(0).nullable(),
  })
  .strict()
  .superRefine((w, ctx) => {
    const panes = w.tabs.flatMap((t) => layoutPanes(t.layout));
    if (panes.length > WORKSPACE_LIMITS.panes) ctx.addIssue({ code: 'custom', message: `a workspace has at most ${WORKSPACE_LIMITS.panes} panes` });
    if (new Set(panes).size !== panes.length) ctx.addIssue({ code: 'custom', message: 'a pane id is used twice' });
    if (w.active !== null && w.active >= w.tabs.length) ctx.addIssue({ code: 'custom', path: ['active'], message: 'the active tab is not in the list' });
  });
export type Workspace = z.infer<typeof Workspace>;

/** as the store keeps it: and each pane's last known working directory (written by the main process only) */
export const StoredWorkspace = z.object({
  tabs: Workspace.shape.tabs,
  active: Workspace.shape.active,
  cwds: z.record(PaneKey, z.string().max(4096)),
});
export type StoredWorkspace = z.infer<typeof StoredWorkspace>;

export const workspaceCalls = {
  /**
   * The saved workspace, or null (none saved, or "Restore the workspace" is off). Tabs of hosts deleted
   * since are left out, and `dropped` names them.
   */
  'workspace.get': call(empty, z.object({ workspace: Workspace.nullable(), dropped: z.array(z.string()) })),
  /** the tabs now (the renderer debounces); ignored while "Restore the workspace" is off */
  'workspace.save': call(Workspace, ok),
};
