// Snippets: saved commands, for every host, a group's hosts or one host, typed into a terminal from the
// palette. `{{name}}` and `{{name:default}}` in a command are asked for before it runs.
import { z } from 'zod';
import { Id } from './model.js';
import { call, ok } from './spec.js';

export const SnippetScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('global') }).strict(),
  z.object({ kind: z.literal('group'), groupId: Id }).strict(),
  z.object({ kind: z.literal('host'), hostId: Id }).strict(),
]);
export type SnippetScope = z.infer<typeof SnippetScope>;

/** the control characters a command may hold: tab and newline (a snippet of several lines runs them in turn) */
const OTHER_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export const SnippetInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), 'a name has no control characters'),
    command: z
      .string()
      .min(1)
      .max(16 * 1024)
      .refine((s) => !OTHER_CONTROLS.test(s), 'a command has no control characters but tabs and newlines'),
    scope: SnippetScope,
  })
  .strict();
export type SnippetInput = z.infer<typeof SnippetInput>;

export const Snippet = SnippetInput.extend({ id: Id });
export type Snippet = z.infer<typeof Snippet>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]{0,40})\s*(?::([^}]*))?\}\}/g;

/** The placeholders of a command, each once, in order of first use, with the default the first use gives. */
export function placeholders(command: string): { name: string; fallback: string }[] {
  const seen = new Map<string, string>();
  for (const m of command.matchAll(PLACEHOLDER)) if (!seen.has(m[1]!)) seen.set(m[1]!, m[2] ?? '');
  return [...seen].map(([name, fallback]) => ({ name, fallback }));
}

/** The command with each placeholder replaced by its value (a missing one by its default). */
export function fill(command: string, values: Readonly<Record<string, string>>): string {
  return command.replace(PLACEHOLDER, (_m, name: string, fallback?: string) => values[name] ?? fallback ?? '');
}

/**
 * The snippets for a terminal on `hostId` (null: a quick connection) whose groups, innermost first, are
 * `groupIds`: the host's own, then its groups' from the innermost out, then the global ones.
 */
export function snippetsFor(snippets: readonly Snippet[], hostId: string | null, groupIds: readonly string[]): Snippet[] {
  const rank = (s: Snippet): number | null => {
    switch (s.scope.kind) {
      case 'host':
        return s.scope.hostId === hostId ? 0 : null;
      case 'group': {
        const i = groupIds.indexOf(s.scope.groupId);
        return i < 0 ? null : 1 + i;
      }
      case 'global':
        return Number.MAX_SAFE_INTEGER;
    }
  };
  return snippets
    .flatMap((s) => {
      const r = rank(s);
      return r === null ? [] : [{ s, r }];
    })
    .sort((a, b) => a.r - b.r || a.s.name.localeCompare(b.s.name))
    .map((x) => x.s);
}

export const snippetCalls = {
  /** saves a new snippet (no id) or replaces one; its group or host must exist. The list arrives by `settings.watch`. */
  'snippets.save': call(z.object({ id: Id.optional(), snippet: SnippetInput }).strict(), Snippet),
  'snippets.delete': call(z.object({ id: Id }).strict(), ok),
};
