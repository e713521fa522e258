import { Info, TriangleAlert, X } from 'lucide-react';
import { useFeedback } from '../../lib/feedback.js';

/** Banners at the top for lasting conditions; each can be dismissed. */
export function Notices() {
  const { notices, dismissNotice } = useFeedback();
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.message} className={`notice notice-${notice.level}`} data-testid="notice" role="alert">
          {notice.level === 'info' ? <Info size={15} /> : <TriangleAlert size={15} />}
          <span className="notice-message">{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(notice)}>
            <X size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
