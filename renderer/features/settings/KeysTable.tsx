import { Fragment } from 'react';
import { ALL_KEYS, bindingText, type KeyGroup } from '../../lib/keybindings.js';

const GROUPS: KeyGroup[] = ['Tabs', 'Panes', 'Terminal', 'Search', 'App'];

/** Every shortcut, read-only, made from the list the key handlers match against (`lib/keybindings.ts`). */
export function KeysTable() {
  return (
    <div className="form-grid keys" data-testid="keys-table">
      <div className="form-section">Keyboard shortcuts</div>
      <table className="keys-table field-wide">
        <tbody>
          {GROUPS.map((group) => (
            <Fragment key={group}>
              <tr>
                <th colSpan={2} scope="colgroup">
                  {group}
                </th>
              </tr>
              {ALL_KEYS.filter((b) => b.group === group).map((b) => (
                <tr key={b.label} data-testid="keys-row" data-keys={bindingText(b)}>
                  <td>
                    {b.label}
                    {b.note && <span className="field-help"> ({b.note})</span>}
                  </td>
                  <td>
                    <kbd>{bindingText(b)}</kbd>
                  </td>
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
