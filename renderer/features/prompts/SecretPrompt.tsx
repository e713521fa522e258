import { useState, type ReactNode } from 'react';
import { PromptFrame } from './PromptFrame.js';
import { cancel, type PromptProps } from './types.js';

interface SecretPromptProps extends Omit<PromptProps<'password' | 'passphrase'>, 'prompt'> {
  kind: 'password' | 'passphrase';
  title: string;
  lead: ReactNode;
  retry: boolean;
}

/** A password or a key passphrase, which the user may save in the keychain. */
function SecretPrompt({ kind, title, lead, retry, deadline, answer }: SecretPromptProps) {
  const [value, setValue] = useState('');
  const [save, setSave] = useState(false);
  return (
    <PromptFrame
      kind={kind}
      title={title}
      deadline={deadline}
      acceptLabel="OK"
      rejectLabel="Cancel"
      onAccept={() => answer({ value, save })}
      onReject={() => answer(cancel)}
    >
      <p>{lead}</p>
      {retry && <p className="warning">That was refused; try again.</p>}
      <input
        data-testid="prompt-input"
        type="password"
        value={value}
        autoFocus
        autoComplete="off"
        aria-label={title}
        onChange={(e) => setValue(e.target.value)}
      />
      <label className="checkbox">
        <input data-testid="prompt-save" type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} />
        Save in keychain
      </label>
    </PromptFrame>
  );
}

export function PasswordPrompt({ prompt, ...rest }: PromptProps<'password'>) {
  const who = `${prompt.user}@${prompt.host}`;
  return (
    <SecretPrompt
      kind="password"
      title="Password"
      lead={
        <>
          Password for <strong>{who}</strong>
        </>
      }
      retry={prompt.retry}
      {...rest}
    />
  );
}

export function PassphrasePrompt({ prompt, ...rest }: PromptProps<'passphrase'>) {
  return (
    <SecretPrompt
      kind="passphrase"
      title="Key passphrase"
      lead={
        <>
          Passphrase for the key <code>{prompt.keyFile}</code>
        </>
      }
      retry={prompt.retry}
      {...rest}
    />
  );
}
