import { useState } from 'react';
import { PromptFrame } from './PromptFrame.js';
import { cancel, type PromptProps } from './types.js';

/** The server's own questions (one-time codes, PAM), one input each. */
export function KbdIntPrompt({ prompt, deadline, answer }: PromptProps<'keyboard-interactive'>) {
  const [values, setValues] = useState(() => prompt.prompts.map(() => ''));
  return (
    <PromptFrame
      kind="keyboard-interactive"
      title={prompt.name || 'Keyboard-interactive authentication'}
      deadline={deadline}
      acceptLabel="OK"
      rejectLabel="Cancel"
      onAccept={() => answer({ values })}
      onReject={() => answer(cancel)}
    >
      <p>
        <strong>
          {prompt.user}@{prompt.host}
        </strong>
      </p>
      {prompt.instructions && <p className="instructions">{prompt.instructions}</p>}
      {prompt.prompts.map((p, i) => (
        <label key={i} className="field">
          <span className="field-label">{p.prompt}</span>
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
    </PromptFrame>
  );
}
