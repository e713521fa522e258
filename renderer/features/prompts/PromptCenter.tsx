import { useState } from 'react';
import type { PromptAnswer, PromptEvent } from '../../../shared/prompts.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { useStream } from '../../lib/useStream.js';
import { AgentSignPrompt } from './AgentSignPrompt.js';
import { BannerPrompt } from './BannerPrompt.js';
import { ConflictPrompt } from './ConflictPrompt.js';
import { HostKeyPrompt } from './HostKeyPrompt.js';
import { KbdIntPrompt } from './KbdIntPrompt.js';
import { PassphrasePrompt, PasswordPrompt } from './SecretPrompt.js';
import { VaultPrompt } from './VaultPrompt.js';
import './prompts.css';

type Ask = Extract<PromptEvent, { type: 'ask' }> & { deadline: number };

/** The main process's questions, one at a time in the order asked; 'done' closes one (answered elsewhere, timed out). */
export function PromptCenter() {
  const client = useClient();
  const { reportError } = useFeedback();
  const [queue, setQueue] = useState<Ask[]>([]);
  const drop = (id: string) => setQueue((q) => q.filter((a) => a.id !== id));

  useStream('prompts.watch', (event) => {
    if (event.type === 'ask') setQueue((q) => [...q, { ...event, deadline: Date.now() + event.timeoutMs }]);
    else drop(event.id);
  });

  const ask = queue[0];
  if (!ask) return null;
  const answer = (a: PromptAnswer) => {
    drop(ask.id);
    client.call('prompts.answer', { id: ask.id, answer: a }).catch(reportError);
  };
  return <PromptDialog key={ask.id} ask={ask} answer={answer} />;
}

function PromptDialog({ ask: { prompt, deadline }, answer }: { ask: Ask; answer(a: PromptAnswer): void }) {
  switch (prompt.kind) {
    case 'hostkey':
      return <HostKeyPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'password':
      return <PasswordPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'passphrase':
      return <PassphrasePrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'keyboard-interactive':
      return <KbdIntPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'vault':
      return <VaultPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'conflict':
      return <ConflictPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'agent-sign':
      return <AgentSignPrompt prompt={prompt} deadline={deadline} answer={answer} />;
    case 'banner':
      return <BannerPrompt prompt={prompt} deadline={deadline} answer={answer} />;
  }
}
