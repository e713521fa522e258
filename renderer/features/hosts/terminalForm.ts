import type { Group } from '../../../shared/model.js';
import type { TerminalSettings } from '../../../shared/settings.js';
import { effectiveTerminal, overrideKeys, type OverrideKey, type OverrideSource, type TerminalOverride } from '../../../shared/terminal-profile.js';

/** A terminal override as the editor's inputs hold it: '' means "inherit". */
export type TerminalForm = Record<OverrideKey, string>;

const mapKeys = <T>(f: (key: OverrideKey) => T) => Object.fromEntries(overrideKeys.map((k) => [k, f(k)])) as Record<OverrideKey, T>;

export function toTerminalForm(o: TerminalOverride | undefined): TerminalForm {
  return mapKeys((k) => (o?.[k] === undefined ? '' : String(o[k])));
}

/** The fields the form sets (the server validates them), or undefined when it sets none. */
export function fromTerminalForm(form: TerminalForm): TerminalOverride | undefined {
  const out: Record<string, string | number> = {};
  for (const k of overrideKeys) {
    const v = form[k].trim();
    if (v !== '') out[k] = k === 'fontSize' ? Number(v) : v;
  }
  return Object.keys(out).length > 0 ? (out as TerminalOverride) : undefined;
}

/** For an update: the new override, null when the form sets nothing any more, undefined when it did not change. */
export function terminalChange(initial: TerminalForm, form: TerminalForm): TerminalOverride | null | undefined {
  if (overrideKeys.every((k) => initial[k].trim() === form[k].trim())) return undefined;
  return fromTerminalForm(form) ?? null;
}

export interface InheritedTerminal {
  value: string;
  /** "Settings", or "group prod" */
  from: string;
}

const sourceLabel = (s: OverrideSource) => (s.kind === 'group' ? `group ${s.groupName}` : 'Settings');

/** What something placed in `groupId` gets for each field it leaves on "inherit", and from where. */
export function inheritedTerminal(app: TerminalSettings, groupId: string | null, groups: Group[]): Record<OverrideKey, InheritedTerminal> {
  const { settings, sources } = effectiveTerminal(app, groupId, undefined, (id) => groups.find((g) => g.id === id));
  return mapKeys((k) => ({ value: String(settings[k]), from: sourceLabel(sources[k]) }));
}
