import { useState } from 'react';
import { PromptFrame } from './PromptFrame.js';
import type { PromptProps } from './types.js';

/** A host Warren forwards its agent to wants a signature: allow once, always (this connection), or deny. */
export function AgentSignPrompt({ prompt, deadline, answer }: PromptProps<'agent-sign'>) {
  const [always, setAlways] = useState(false);
  return (
    <PromptFrame
      kind="agent-sign"
      title="Use a forwarded key?"
      deadline={deadline}
      acceptLabel="Allow"
      rejectLabel="Deny"
      onAccept={() => answer({ accept: true, always })}
      onReject={() => answer({ accept: false })}
    >
      <p>
        <strong>{prompt.host}</strong> wants to use your key <code className="fingerprint">{prompt.fingerprint}</code> ({prompt.comment})
        {prompt.user ? (
          <>
            {' '}
            to log in as <strong>{prompt.user}</strong>
          </>
        ) : null}
        .
      </p>
      <label>
        <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} /> Always allow this key for this connection
      </label>
      <p className="muted">Deny unless you just started something on {prompt.host} that needs this key.</p>
    </PromptFrame>
  );
}
