import { RotateCw, TriangleAlert } from 'lucide-react';
import { layerOf, type WarrenError } from '../../../shared/errors.js';

const listLabels: Record<string, string> = {
  offered: 'The server offered',
  tried: 'Warren tried',
};

/** The string lists in an error's detail, e.g. the auth methods offered and the keys tried. */
function detailLists(detail: WarrenError['detail']): [string, string[]][] {
  return Object.entries(detail ?? {}).flatMap(([key, value]) =>
    Array.isArray(value) ? [[listLabels[key] ?? key, value.map(String)] as [string, string[]]] : [],
  );
}

/** Why a terminal could not connect (or lost its connection), by layer, with a retry. */
export function ConnectError({ error, onRetry }: { error: WarrenError; onRetry(): void }) {
  return (
    <div className="connect-error" data-testid="connect-error" data-code={error.code} role="alert">
      <h3>
        <TriangleAlert size={18} /> {layerOf[error.code]}
      </h3>
      <p className="connect-error-message">{error.message}</p>
      {detailLists(error.detail).map(([label, items]) => (
        <div key={label} className="connect-error-list">
          <span>{label}:</span>
          <ul>
            {items.map((item) => (
              <li key={item}>
                <code>{item}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <button type="button" className="primary" data-testid="retry" onClick={onRetry}>
        <RotateCw size={14} /> Retry
      </button>
    </div>
  );
}
