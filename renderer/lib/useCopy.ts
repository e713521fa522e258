import { useCallback } from 'react';
import { describeError } from './errors.js';
import { useFeedback } from './feedback.js';

/**
 * Copies text to the clipboard and says so in a toast. When the clipboard is denied, a one-line
 * text (a command) is shown in the toast instead, since it is still worth having; a longer one
 * (a log) is on screen already, to select by hand.
 */
export function useCopy(): (text: string) => Promise<void> {
  const { notify } = useFeedback();
  return useCallback(
    async (text: string) => {
      try {
        await navigator.clipboard.writeText(text);
        notify('Copied');
      } catch (e) {
        notify(
          text.includes('\n') ? `Could not copy (${describeError(e)}): select the text and press Ctrl+C` : `Could not copy (${describeError(e)}): ${text}`,
        );
      }
    },
    [notify],
  );
}
