// The terminal settings a group or a host may set for itself (a bigger font and the high-contrast theme for
// "prod", TERM=vt100 for one old box), their schemas (shared with the app's settings), and how they combine:
// the app's settings, then each group from the outermost to the host's own, then the host.
import { z } from 'zod';

export const FONT_SIZE = { min: 8, max: 32, default: 14 } as const;

/**
 * A CSS font-family list: names, quotes, commas and spaces only. xterm puts it into a stylesheet and a
 * canvas font string, where a `;`, `{` or `}` would end the declaration.
 */
export const FontFamily = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .regex(/^[\p{L}\p{N} ,'"._-]+$/u, 'a font family is names, quotes, commas and spaces only');

export const FontSize = z.number().int().min(FONT_SIZE.min).max(FONT_SIZE.max);

/** TERM as a terminfo name: letters, digits and `. _ + -` (never a space, quote or control character) */
export const TermType = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'a terminal type is a terminfo name: letters, digits and . _ + -');

/** a locale as setlocale(3) names it: `en_US.UTF-8`, `C.UTF-8`, `de_DE@euro` */
export const LocaleName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'a locale is a name like en_US.UTF-8 or C.UTF-8');

/**
 * What the shell is told of the locale: `local` sends this machine's LANG and LC_* (in browser mode, the
 * server's), as OpenSSH does with Debian's `SendEnv LANG LC_*`; `none` sends nothing; a name is sent as LANG.
 * The server keeps them only where its AcceptEnv allows (Debian's and Ubuntu's sshd: `AcceptEnv LANG LC_*`).
 */
export const Locale = z.union([z.enum(['local', 'none']), LocaleName]);

/** the built-in themes, and `custom`: the user's colours over one of them (`customTheme` in the settings) */
export const BuiltInTheme = z.enum(['dark', 'light', 'high-contrast']);
export type BuiltInTheme = z.infer<typeof BuiltInTheme>;
export const TerminalTheme = z.enum([...BuiltInTheme.options, 'custom']);
export type TerminalTheme = z.infer<typeof TerminalTheme>;

/** the colours a custom theme may set: xterm's theme keys, the 16 ANSI colours among them */
export const THEME_COLORS = [
  'background',
  'foreground',
  'cursor',
  'selectionBackground',
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;
export type ThemeColor = (typeof THEME_COLORS)[number];

/** `#rrggbb`: what a colour input gives, and nothing a stylesheet could be tricked with */
export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');

/** the custom theme: a built-in one to start from, and the colours set over it (each one left out is the base's) */
export const CustomTheme = z
  .object({
    base: BuiltInTheme,
    colors: z.partialRecord(z.enum(THEME_COLORS), HexColor),
  })
  .strict();
export type CustomTheme = z.infer<typeof CustomTheme>;

export const CursorStyle = z.enum(['block', 'underline', 'bar']);
/** what a BEL (^G) does: nothing, a flash of the terminal's edge, or a short tone */
export const Bell = z.enum(['none', 'visual', 'sound']);

/**
 * What a group or a host sets of the terminal settings; each field left out is inherited (from the
 * enclosing group, in the end from the app's settings). App-wide things (the renderer, restoring the
 * workspace, scrollback, copy on select) are not per host.
 */
export const TerminalOverride = z
  .object({
    theme: TerminalTheme.optional(),
    fontFamily: FontFamily.optional(),
    fontSize: FontSize.optional(),
    cursorStyle: CursorStyle.optional(),
    /** TERM for its new shells */
    termType: TermType.optional(),
    locale: Locale.optional(),
    bell: Bell.optional(),
  })
  .strict();
export type TerminalOverride = z.infer<typeof TerminalOverride>;
export type OverrideKey = keyof TerminalOverride;
/** the fields of TerminalOverride, in its order */
export const overrideKeys = Object.keys(TerminalOverride.shape) as OverrideKey[];

/** Where an effective terminal setting comes from. */
export type OverrideSource = { kind: 'app' } | { kind: 'group'; groupId: string; groupName: string } | { kind: 'host' };

/** what the merge needs of a group */
export interface OverrideGroup {
  id: string;
  name: string;
  parentId: string | null;
  terminal?: TerminalOverride | undefined;
}

/** A group's chain, from the outermost group to `groupId` itself; a missing or looping parent ends it. */
function chainOf(groupId: string | null, group: (id: string) => OverrideGroup | undefined): OverrideGroup[] {
  const chain: OverrideGroup[] = [];
  const seen = new Set<string>();
  for (let id = groupId; id !== null && !seen.has(id);) {
    seen.add(id);
    const g = group(id);
    if (!g) break;
    chain.unshift(g);
    id = g.parentId;
  }
  return chain;
}

/**
 * The terminal settings of something placed in `groupId` with its own `own` override (a host; or, with
 * `own` undefined, what a new member of the group gets): `base` (the app's settings), then each group from
 * the outermost in, then `own`; the last to set a field wins. Also says where each overridable field came from.
 */
export function effectiveTerminal<T extends Record<OverrideKey, unknown>>(
  base: T,
  groupId: string | null,
  own: TerminalOverride | undefined,
  group: (id: string) => OverrideGroup | undefined,
): { settings: T; sources: Record<OverrideKey, OverrideSource> } {
  const settings: T = { ...base };
  const sources = Object.fromEntries(overrideKeys.map((k) => [k, { kind: 'app' }])) as Record<OverrideKey, OverrideSource>;
  const layers: [TerminalOverride | undefined, OverrideSource][] = chainOf(groupId, group).map((g) => [
    g.terminal,
    { kind: 'group', groupId: g.id, groupName: g.name },
  ]);
  layers.push([own, { kind: 'host' }]);
  for (const [override, source] of layers) {
    for (const k of overrideKeys) {
      const v = override?.[k];
      if (v === undefined) continue;
      (settings as Record<OverrideKey, unknown>)[k] = v;
      sources[k] = source;
    }
  }
  return { settings, sources };
}
