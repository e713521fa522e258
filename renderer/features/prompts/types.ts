import type { Prompt, PromptAnswer } from '../../../shared/prompts.js';

/** What each prompt dialog gets: its question, when it times out, and how to answer. */
export interface PromptProps<K extends Prompt['kind']> {
  prompt: Extract<Prompt, { kind: K }>;
  deadline: number;
  answer(answer: PromptAnswer): void;
}

export const cancel: PromptAnswer = { cancel: true };
