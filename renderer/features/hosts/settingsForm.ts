import { settingKeys, type Group, type HostSettings, type ResolvedHost, type SettingKey } from '../../../shared/model.js';
import { ancestry } from './treeModel.js';

/** The inheritable settings as the inputs hold them: '' means "not set here, inherit". */
export type SettingsForm = Record<SettingKey, string>;

/** Where an empty field gets its value from, for its placeholder. */
interface Inherited {
  value: string;
  from: string;
}
export type InheritedSettings = Record<SettingKey, Inherited>;

const numeric: ReadonlySet<SettingKey> = new Set(['port', 'keepaliveInterval', 'keepaliveCountMax']);

/** The built-in defaults that apply after every group; the main process knows the real user name. */
const builtInDefaults: SettingsForm = {
  user: '(your user name)',
  port: '22',
  auth: 'auto',
  identityFile: '',
  keepaliveInterval: '15',
  keepaliveCountMax: '3',
  jump: '',
  proxyCommand: '',
  sftpSudo: '',
  forwardAgent: '',
  color: '',
  remoteCommand: '',
};

const mapKeys = <T>(f: (key: SettingKey) => T) => Object.fromEntries(settingKeys.map((k) => [k, f(k)])) as Record<SettingKey, T>;

export function toForm(settings: HostSettings): SettingsForm {
  return mapKeys((k) => (settings[k] === undefined ? '' : String(settings[k])));
}

function parse(key: SettingKey, text: string): string | number {
  return numeric.has(key) ? Number(text) : text.trim();
}

/** The settings the form sets; empty fields are left out. The server validates the values. */
export function fromForm(form: SettingsForm): HostSettings {
  const out: Record<string, string | number> = {};
  for (const k of settingKeys) if (form[k].trim() !== '') out[k] = parse(k, form[k]);
  return out as HostSettings;
}

/** The fields that changed since `initial`; a cleared field is null, so the host inherits it again. */
export function patchFromForm(initial: SettingsForm, form: SettingsForm): { [K in SettingKey]?: HostSettings[K] | null } {
  const out: Record<string, string | number | null> = {};
  for (const k of settingKeys) {
    if (form[k].trim() !== initial[k].trim()) out[k] = form[k].trim() === '' ? null : parse(k, form[k]);
  }
  return out;
}

/** The defaults of an existing host as `hosts.resolve` reports them, where no group overrides them. */
export function defaultsFrom(resolved: ResolvedHost): SettingsForm {
  return mapKeys((k) => (resolved.sources[k]?.kind === 'default' ? String(resolved[k] ?? '') : builtInDefaults[k]));
}

/** What a host or subgroup placed in `groupId` gets for each setting it leaves empty, and from where. */
export function inheritedSettings(groupId: string | null, groups: Group[], defaults = builtInDefaults): InheritedSettings {
  const chain = ancestry(groupId, groups);
  return mapKeys((k) => {
    const group = chain.find((g) => g.defaults[k] !== undefined);
    return group ? { value: String(group.defaults[k]), from: `group ${group.name}` } : { value: defaults[k], from: 'default' };
  });
}

export function placeholder({ value, from }: Inherited): string {
  return `${value === '' ? 'none' : value} (${from})`;
}
