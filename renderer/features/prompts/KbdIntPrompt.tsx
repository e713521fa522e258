import { useState } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { PromptFrame } from './PromptFrame.js';
import { cancel, type PromptProps } from './types.js';

/**
 * The server's own questions (one-time codes, PAM), one input each. The title is Warren's words; what the
 * server wrote (its name for the question, instructions, prompts) stays inside a box marked as the server's,
 * with its controls made visible, so a server cannot pose as one of Warren's own dialogs (the vault's).
 */
export function KbdIntPrompt({ prompt, deadline, answer }: PromptProps<'keyboard-interactive'>) {
  const [values, setValues] = useState(() => prompt.prompts.map(() => ''));
  return (
    <PromptFrame
      kind="keyboard-interactive"
      title={`${prompt.user}@${prompt.host} asks (keyboard-interactive)`}
      deadline={deadline}
      acceptLabel="OK"
      rejectLabel="Cancel"
      onAccept={() => answer({ values })}
      onReject={() => answer(cancel)}
    >
      <div className="server-text" data-testid="server-text">
        <p className="server-text-label">The server {prompt.host} writes (not Warren):</p>
        {prompt.name && <p className="server-text-name">{visible(prompt.name)}</p>}
        {prompt.instructions && <p className="instructions">{visible(prompt.instructions, { lines: true })}</p>}
        {prompt.prompts.map((p, i) => (
          <label key={i} className="field">
            <span className="field-label">{visible(p.prompt)}</span>
            <input
              data-testid="prompt-input"
              type={p.echo ? 'text' : 'password'}
              value={values[i]}
              autoFocus={i === 0}
              autoComplete="off"
              onChange={(e) => setValues((vs) => vs.map((v, j) => (j === i ? e.target.value : v)))}
            />
          </label>
        ))}
      </div>
    </PromptFrame>
  );
}
