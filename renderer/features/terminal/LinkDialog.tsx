import { visible } from '../../../shared/untrusted.js';
import { Modal } from '../../lib/Modal.js';
import type { Link } from './links.js';

interface LinkDialogProps {
  link: Link;
  onOpen(): void;
  onCancel(): void;
}

/**
 * A link in the terminal was clicked: where it really leads (the text on screen can say anything), with
 * its controls and direction marks visible and the host as the browser will contact it (punycode shows
 * a look-alike name), then Open or Cancel; or why it is refused.
 */
export function LinkDialog({ link, onOpen, onCancel }: LinkDialogProps) {
  const refused = link.refused !== null;
  return (
    <Modal
      testId="link-confirm"
      title={refused ? 'Warren will not open this link' : 'Open this link?'}
      data={refused ? { 'data-refused': 'true' } : {}}
      onSubmit={refused ? onCancel : onOpen}
      onCancel={onCancel}
      actions={
        refused ? (
          <button type="submit" data-testid="cancel" autoFocus>
            Close
          </button>
        ) : (
          <>
            <button type="button" data-testid="cancel" onClick={onCancel} autoFocus>
              Cancel
            </button>
            <button type="submit" className="primary" data-testid="link-open">
              Open in browser
            </button>
          </>
        )
      }
    >
      <p>The terminal's output links to:</p>
      <code className="fingerprint" data-testid="link-uri">
        {visible(link.uri)}
      </code>
      {refused ? (
        <p data-testid="link-refused">{link.refused}</p>
      ) : (
        <p className="muted">
          It goes to <strong data-testid="link-host">{new URL(link.uri).host}</strong>. A link's text in the terminal can differ from where it leads: open it
          only if you expected this address.
        </p>
      )}
    </Modal>
  );
}
