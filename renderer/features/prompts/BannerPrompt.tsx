import { useState } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { PromptFrame } from './PromptFrame.js';
import type { PromptProps } from './types.js';

/** The server's login banner (often a legal notice), as ssh prints it; the login goes on meanwhile. */
export function BannerPrompt({ prompt, deadline, answer }: PromptProps<'banner'>) {
  const [always, setAlways] = useState(false);
  return (
    <PromptFrame
      kind="banner"
      title={`${prompt.user}@${prompt.host} says`}
      deadline={deadline}
      acceptLabel="OK"
      rejectLabel="Close"
      onAccept={() => answer({ accept: true, always })}
      onReject={() => answer({ accept: false })}
    >
      <pre className="banner-text" data-testid="banner-text">
        {visible(prompt.message, { lines: true })}
      </pre>
      {prompt.canRemember && (
        <label>
          <input type="checkbox" data-testid="banner-remember" checked={always} onChange={(e) => setAlways(e.target.checked)} /> Don&apos;t show this again for
          this host (until its text changes)
        </label>
      )}
    </PromptFrame>
  );
}
