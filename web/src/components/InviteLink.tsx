import { useState } from 'react';

/** The full link of a just-created invite, with a Copy button. The server shows it only once. */
export function InviteLink({ email, linkPath }: { email: string; linkPath: string }) {
  const url = `${window.location.origin}${linkPath}`;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="invite-link" role="status">
      <div className="invite-link-title">Invite link for {email}</div>
      <div className="invite-link-row">
        <input
          readOnly
          value={url}
          aria-label="Invite link"
          onFocus={(e) => e.currentTarget.select()}
          className="mono"
        />
        <button type="button" className="btn btn-primary" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="small">
        {copied === 'failed' ? 'Copying failed: select the link and copy it by hand. ' : ''}
        Send this link to {email}. <strong>It will not be shown again</strong> — if it is lost, revoke the invite and
        create a new one.
      </p>
    </div>
  );
}
