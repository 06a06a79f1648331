import { type ReactNode, useState } from 'react';
import { Button } from '../../ui';

/**
 * A button for something that cannot be undone: the first press asks, the second does it.
 * (A candidate for ui.tsx.)
 */
export function ConfirmButton({ label, question, confirmLabel, busy, onConfirm }: { label: string; question: ReactNode; confirmLabel: string; busy?: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button type="button" className="danger" busy={busy} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <div className="ticketing-confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <div className="ticketing-actions">
        <Button
          type="button"
          className="danger"
          busy={busy}
          autoFocus
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </Button>
        <button type="button" onClick={() => setAsking(false)}>
          No, keep it
        </button>
      </div>
    </div>
  );
}
