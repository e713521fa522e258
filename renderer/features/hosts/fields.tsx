import type { ReactNode } from 'react';
import { layerOf, type WarrenError } from '../../../shared/errors.js';
import type { AuthMethod, Group, SettingKey } from '../../../shared/model.js';
import { PALETTE } from '../../lib/palette.js';
import { placeholder, type InheritedSettings, type SettingsForm } from './settingsForm.js';
import { flattenGroups } from './treeModel.js';

export function Field({ label, wide, extra, children }: { label: string; wide?: boolean; extra?: ReactNode; children: ReactNode }) {
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label>
        <span className="field-label">{label}</span>
        {children}
      </label>
      {extra}
    </div>
  );
}

function FieldHelp({ children }: { children: ReactNode }) {
  return <div className="field-help">{children}</div>;
}

const authLabels: Record<AuthMethod, string> = {
  auto: 'Auto (agent, key, password)',
  agent: 'ssh-agent',
  key: 'Key file',
  password: 'Password',
  'keyboard-interactive': 'Keyboard-interactive',
};

interface SettingsFieldsProps {
  form: SettingsForm;
  inherited: InheritedSettings;
  onChange(key: SettingKey, value: string): void;
  /** shown under the jump hosts field (the host editor draws the chain there) */
  jumpPreview?: ReactNode;
}

/** The inheritable settings, shared by the host and the group editor; empty fields show what they inherit. */
export function SettingsFields({ form, inherited, onChange, jumpPreview }: SettingsFieldsProps) {
  const input = (key: SettingKey, label: string, opts: { number?: boolean; wide?: boolean; help?: ReactNode; example?: string } = {}) => (
    <Field label={label} wide={opts.wide} extra={opts.help}>
      <input
        name={key}
        type={opts.number ? 'number' : 'text'}
        value={form[key]}
        placeholder={opts.example && inherited[key].value === '' ? `e.g. ${opts.example}` : placeholder(inherited[key])}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(key, e.target.value)}
      />
    </Field>
  );
  const inheritedAuth = inherited.auth;
  return (
    <>
      {input('user', 'User')}
      {input('port', 'Port', { number: true })}
      <Field label="Authentication">
        <select name="auth" value={form.auth} onChange={(e) => onChange('auth', e.target.value)}>
          <option value="">{`${authLabels[inheritedAuth.value as AuthMethod] ?? inheritedAuth.value} (${inheritedAuth.from})`}</option>
          {Object.entries(authLabels).map(([method, label]) => (
            <option key={method} value={method}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {input('identityFile', 'Identity file')}
      {input('keepaliveInterval', 'Keepalive interval (s)', { number: true })}
      {input('keepaliveCountMax', 'Keepalive count max', { number: true })}
      {input('jump', 'Jump hosts (ProxyJump)', {
        wide: true,
        example: 'bastion,alice@10.0.0.5:2222',
        help: (
          <>
            <FieldHelp>
              Comma-separated, crossed in order: a saved host&rsquo;s name or <code>user@host:port</code>. <code>none</code> turns an inherited chain off.
            </FieldHelp>
            {jumpPreview}
          </>
        ),
      })}
      {input('proxyCommand', 'ProxyCommand', {
        wide: true,
        example: 'nc -X 5 -x proxy:1080 %h %p',
        help: (
          <FieldHelp>
            Run by <code>/bin/sh</code> with <code>%h</code> <code>%p</code> <code>%r</code> expanded (host, port, user). Ignored when jump hosts are set.
          </FieldHelp>
        ),
      })}
      {input('sftpSudo', 'SFTP as user (sudo)', {
        example: 'root',
        help: (
          <FieldHelp>
            The file browser runs <code>sudo -n -u USER sftp-server</code> instead of the SFTP subsystem (needs a NOPASSWD sudoers rule);
            <code>none</code> turns an inherited one off.
          </FieldHelp>
        ),
      })}
      {input('forwardAgent', 'Agent forwarding', {
        wide: true,
        example: 'confirm:SHA256:…',
        help: (
          <FieldHelp>
            Off unless set. Warning: while you are logged in, anyone with root on this server can use the forwarded keys. Warren forwards only the keys named
            here (<code>SHA256:…</code> fingerprints, comma-separated, or <code>all</code>); a <code>confirm:</code>
            prefix asks before each signature. <code>none</code> turns an inherited one off.
          </FieldHelp>
        ),
      })}
      {input('remoteCommand', 'Remote command', {
        wide: true,
        example: 'tmux new -A -s main',
        help: (
          <FieldHelp>
            Run by its terminals instead of the login shell, with a terminal, as ssh_config&rsquo;s <code>RemoteCommand</code> (splits, duplicates and
            reconnects too); the status line says so. <code>none</code> turns an inherited one off. Tunnels, files and <code>warren exec</code> ignore it.
          </FieldHelp>
        ),
      })}
      <ColorField value={form.color} inherited={inherited.color} onChange={(v) => onChange('color', v)} />
    </>
  );
}

/**
 * The host's (or group's) colour: a swatch of the palette (clicked again: inherit), any colour from the
 * picker, or typed (`#rrggbb`, `none`). Its row, its tabs and its terminals' edge show it.
 */
function ColorField({ value, inherited, onChange }: { value: string; inherited: InheritedSettings['color']; onChange(v: string): void }) {
  const shown = value === '' ? inherited.value : value;
  return (
    <div className="field field-wide">
      <span className="field-label" id="color-label">
        Colour
      </span>
      <div className="color-field" role="group" aria-labelledby="color-label">
        {PALETTE.map(({ color, label }, i) => (
          <button
            key={color}
            type="button"
            role="radio"
            className="context-menu-swatch"
            data-testid={`color-swatch-${i + 1}`}
            aria-label={label}
            aria-checked={value === color}
            style={{ background: color }}
            onClick={() => onChange(value === color ? '' : color)}
          />
        ))}
        <input
          type="color"
          data-testid="color-custom"
          aria-label="Any colour"
          value={/^#[0-9a-f]{6}$/.test(shown) ? shown : '#808080'}
          onChange={(e) => onChange(e.target.value.toLowerCase())}
        />
        <input
          name="color"
          aria-label="Colour (#rrggbb or none)"
          value={value}
          placeholder={placeholder(inherited)}
          autoComplete="off"
          spellCheck={false}
          maxLength={7}
          onChange={(e) => onChange(e.target.value.trim().toLowerCase())}
        />
      </div>
      <FieldHelp>
        Shown on its row, its tabs and its terminals&rsquo; edge (prod in red, say); a tab&rsquo;s own colour wins. <code>none</code> turns an inherited one
        off.
      </FieldHelp>
    </div>
  );
}

interface GroupSelectProps {
  name: 'groupId' | 'parentId';
  label: string;
  groups: Group[];
  value: string | null;
  /** a group that may not be chosen, with its subtree (a group cannot move into itself) */
  exclude?: string;
  onChange(groupId: string | null): void;
}

export function GroupSelect({ name, label, groups, value, exclude, onChange }: GroupSelectProps) {
  return (
    <Field label={label}>
      <select name={name} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">(top level)</option>
        {flattenGroups(groups, exclude).map(({ group, depth }) => (
          <option key={group.id} value={group.id}>
            {'\u00a0\u00a0\u00a0'.repeat(depth) + group.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A secret to save in the keychain: typed = replace, "Forget" = remove on save. */
interface SecretState {
  value: string;
  forget: boolean;
}
export const noSecret: SecretState = { value: '', forget: false };

/** What to send for a secret: the new value, null to forget it, undefined to leave it alone. */
export function secretChange({ value, forget }: SecretState): string | null | undefined {
  if (value !== '') return value;
  return forget ? null : undefined;
}

interface SecretFieldProps {
  name: 'password' | 'passphrase' | 'socksPassword';
  label: string;
  saved: boolean;
  state: SecretState;
  onChange(state: SecretState): void;
}

export function SecretField({ name, label, saved, state, onChange }: SecretFieldProps) {
  const kept = saved && !state.forget;
  const extra = saved && (
    <div className="secret-state">
      {state.forget ? 'Forgotten when you save' : `${label} saved`}
      <button type="button" className="link" onClick={() => onChange({ ...state, forget: !state.forget })}>
        {state.forget ? 'Undo' : 'Forget'}
      </button>
    </div>
  );
  return (
    <Field label={label} extra={extra}>
      <input
        name={name}
        type="password"
        value={state.value}
        placeholder={kept ? 'saved; type to replace' : 'not saved'}
        autoComplete="new-password"
        onChange={(e) => onChange({ ...state, value: e.target.value })}
      />
    </Field>
  );
}

export function FormError({ error }: { error: WarrenError | null }) {
  if (!error) return null;
  const issues = error.code === 'BAD_REQUEST' && Array.isArray(error.detail?.issues) ? error.detail.issues.map(String) : [];
  return (
    <div className="form-error" data-testid="form-error" role="alert">
      {issues.length > 0 ? (
        <ul>
          {issues.map((issue) => (
            <li key={issue}>{issue.replace(/^patch\./, '')}</li>
          ))}
        </ul>
      ) : (
        `${layerOf[error.code]}: ${error.message}`
      )}
    </div>
  );
}

export function EditorActions({ busy, onCancel }: { busy: boolean; onCancel(): void }) {
  return (
    <>
      <button type="button" data-testid="cancel" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" data-testid="save" disabled={busy}>
        Save
      </button>
    </>
  );
}
