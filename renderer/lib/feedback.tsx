import { X } from 'lucide-react';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Notice } from '../../shared/model.js';
import { describeError } from './errors.js';

interface Feedback {
  /** a failed call: shown as a toast with the layer and the message */
  reportError(e: unknown): void;
  /** a short confirmation (e.g. "Copied"): shown as a toast */
  notify(text: string): void;
  /** a lasting condition (a settings file set aside, a lost server): shown as a banner until dismissed */
  addNotice(notice: Notice): void;
  dismissNotice(notice: Notice): void;
  notices: readonly Notice[];
}

const FeedbackContext = createContext<Feedback | null>(null);

export function useFeedback(): Feedback {
  const feedback = useContext(FeedbackContext);
  if (!feedback) throw new Error('useFeedback() needs a <FeedbackProvider> above it');
  return feedback;
}

interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

const TOAST_MS = 8000;

/** Holds toasts and notices; renders the toasts itself (notices have their place in the layout). */
export function FeedbackProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismissToast = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);

  const toast = useCallback(
    (text: string, kind: Toast['kind']) => {
      const id = nextId.current++;
      setToasts((list) => (list.some((t) => t.text === text) ? list : [...list, { id, text, kind }]));
      setTimeout(() => dismissToast(id), TOAST_MS);
    },
    [dismissToast],
  );
  const reportError = useCallback((e: unknown) => toast(describeError(e), 'error'), [toast]);
  const notify = useCallback((text: string) => toast(text, 'info'), [toast]);
  const addNotice = useCallback((notice: Notice) => setNotices((list) => (list.some((n) => n.message === notice.message) ? list : [...list, notice])), []);
  const dismissNotice = useCallback((notice: Notice) => setNotices((list) => list.filter((n) => n !== notice)), []);

  const value = useMemo(() => ({ reportError, notify, addNotice, dismissNotice, notices }), [reportError, notify, addNotice, dismissNotice, notices]);
  return (
    <FeedbackContext value={value}>
      {children}
      <div className="toasts" role="status">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast" data-kind={t.kind}>
            <span>{t.text}</span>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
              <X size={14} />
            </button>
          </div>
        ))}
      </div>
    </FeedbackContext>
  );
}
