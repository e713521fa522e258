import { useState } from 'react';
import type { WarrenError } from '../../../shared/errors.js';
import { asWarrenError } from '../../lib/errors.js';

/** Runs an editor's save once at a time; the error stays in the dialog, which closes on success. */
export function useSubmit(save: () => Promise<void>, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WarrenError | null>(null);
  const submit = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    save().then(onDone, (e: unknown) => {
      setError(asWarrenError(e));
      setBusy(false);
    });
  };
  return { submit, busy, error };
}
