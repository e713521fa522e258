import { useState } from 'react';
import { PromptFrame } from './PromptFrame.js';
import { cancel, type PromptProps } from './types.js';

/** The master passphrase of the secrets vault (used where no OS keychain exists). */
export function VaultPrompt({ prompt, deadline, answer }: PromptProps<'vault'>) {
  const [value, setValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const creating = prompt.mode === 'create';
  const mismatch = creating && confirm !== '' && confirm !== value;
  return (
    <PromptFrame
      kind="vault"
      title={creating ? 'Create the vault' : 'Unlock the vault'}
      deadline={deadline}
      acceptLabel={creating ? 'Create' : 'Unlock'}
      rejectLabel="Cancel"
      acceptDisabled={value === '' || (creating && confirm !== value)}
      onAccept={() => answer({ value })}
      onReject={() => answer(cancel)}
    >
      <p>
        {creating
          ? 'No OS keychain is available, so Warren keeps saved passwords in a vault sealed with a master passphrase. Choose one; it cannot be recovered.'
          : 'Saved passwords are in the vault. Enter its master passphrase.'}
      </p>
      {prompt.retry && <p className="warning">Wrong passphrase; try again.</p>}
      <label className="field">
        <span className="field-label">Master passphrase</span>
        <input data-testid="prompt-input" type="password" value={value} autoFocus autoComplete="off" onChange={(e) => setValue(e.target.value)} />
      </label>
      {creating && (
        <label className="field">
          <span className="field-label">Repeat it</span>
          <input data-testid="prompt-input" type="password" value={confirm} autoComplete="off" onChange={(e) => setConfirm(e.target.value)} />
        </label>
      )}
      {mismatch && <p className="inline-error">The two passphrases differ.</p>}
    </PromptFrame>
  );
}
