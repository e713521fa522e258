import { FONT_SIZE, type OverrideKey } from '../../../shared/terminal-profile.js';
import { Field } from './fields.js';
import type { InheritedTerminal, TerminalForm } from './terminalForm.js';

const CHOICES: Partial<Record<OverrideKey, [string, string][]>> = {
  theme: [
    ['dark', 'Dark'],
    ['light', 'Light'],
    ['high-contrast', 'High contrast'],
    ['custom', 'Custom colours (Settings)'],
  ],
  cursorStyle: [
    ['block', 'Block'],
    ['underline', 'Underline'],
    ['bar', 'Bar'],
  ],
  bell: [
    ['visual', 'Flash the terminal'],
    ['sound', 'A short tone'],
    ['none', 'Nothing'],
  ],
};

const labelOf = (key: OverrideKey, value: string) => CHOICES[key]?.find(([v]) => v === value)?.[1] ?? value;
const inheritText = (key: OverrideKey, { value, from }: InheritedTerminal) => `Inherit: ${labelOf(key, value)} (${from})`;

interface TerminalFieldsProps {
  form: TerminalForm;
  inherited: Record<OverrideKey, InheritedTerminal>;
  onChange(key: OverrideKey, value: string): void;
  /** whose terminals these are: "this host's", "this group's hosts'" */
  whose: string;
}

/**
 * The terminal settings a host or a group sets for itself: each field inherits (its group's, in the end the
 * Settings view's) until it is set here, and says what it inherits and from where.
 */
export function TerminalFields({ form, inherited, onChange, whose }: TerminalFieldsProps) {
  const select = (key: OverrideKey, label: string) => (
    <Field label={label}>
      <select name={`terminal.${key}`} value={form[key]} onChange={(e) => onChange(key, e.target.value)}>
        <option value="">{inheritText(key, inherited[key])}</option>
        {CHOICES[key]!.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
  const input = (key: OverrideKey, label: string, opts: { number?: boolean; wide?: boolean; help?: string } = {}) => (
    <Field label={label} wide={opts.wide} extra={opts.help && <div className="field-help">{opts.help}</div>}>
      <input
        name={`terminal.${key}`}
        type={opts.number ? 'number' : 'text'}
        min={opts.number ? FONT_SIZE.min : undefined}
        max={opts.number ? FONT_SIZE.max : undefined}
        value={form[key]}
        placeholder={`${inherited[key].value} (${inherited[key].from})`}
        // a long value (a font list) hides where it comes from: the whole of it on hover
        title={form[key] === '' ? `Inherited from ${inherited[key].from}: ${inherited[key].value}` : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(key, e.target.value)}
      />
    </Field>
  );
  return (
    <>
      <h3 className="form-section" data-testid="terminal-section">
        Terminal
      </h3>
      <p className="form-note field-wide">
        How {whose} terminals look and what their new shells are told. Each field inherits until you set it here: from the enclosing groups, else from the
        Settings view.
      </p>
      {select('theme', 'Theme')}
      {input('fontSize', `Font size (${FONT_SIZE.min}–${FONT_SIZE.max} px)`, { number: true })}
      {input('fontFamily', 'Font family', { wide: true })}
      {select('cursorStyle', 'Cursor')}
      {select('bell', 'Bell')}
      {input('termType', 'Terminal type (TERM)', { help: 'for new shells, e.g. vt100 for an old system' })}
      {input('locale', 'Locale', { help: 'local (this machine’s LANG and LC_*), none, or a name such as C.UTF-8' })}
    </>
  );
}
