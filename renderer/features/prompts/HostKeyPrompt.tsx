import { PromptFrame } from './PromptFrame.js';
import type { PromptProps } from './types.js';

/** An unknown host key: the user compares the fingerprint and decides, as with OpenSSH. */
export function HostKeyPrompt({ prompt, deadline, answer }: PromptProps<'hostkey'>) {
  return (
    <PromptFrame
      kind="hostkey"
      title="Unknown host key"
      deadline={deadline}
      acceptLabel="Accept"
      rejectLabel="Reject"
      onAccept={() => answer({ accept: true })}
      onReject={() => answer({ accept: false })}
    >
      <p>
        The authenticity of host <strong>{prompt.host}</strong> (port {prompt.port}) can't be established.
      </p>
      <p>
        {prompt.keyType} key fingerprint is:
        <code className="fingerprint" data-testid="fingerprint">
          {prompt.fingerprint}
        </code>
      </p>
      {prompt.otherKnownTypes.length > 0 && (
        <p className="warning">
          This host is already known by another key type ({prompt.otherKnownTypes.join(', ')}). The server may have added a new key, or something else is
          answering in its place: accept only if you expected this.
        </p>
      )}
      {prompt.unsupportedKnownTypes.length > 0 && (
        <p className="warning" data-testid="unsupported-known-types">
          Your known_hosts holds this host's {prompt.unsupportedKnownTypes.join(', ')} key, a type Warren cannot verify, so Warren cannot compare this key with
          it: this is not a changed key, but one Warren has not seen. <code>ssh-keygen -lf</code> on the server's {prompt.keyType} key shows the fingerprint to
          compare.
        </p>
      )}
      <p className="muted">Accept only if the fingerprint matches what the server's administrator gave you.</p>
    </PromptFrame>
  );
}
