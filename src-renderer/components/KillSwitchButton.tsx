import { useState } from 'react';
import { OctagonX } from 'lucide-react';
import { useApp } from '../state/store-context.js';
import { KILL_SWITCH_HINT } from './early-words.js';

/**
 * The dashboard's kill switch. One click, no confirmation: in an incident, every second of
 * dialog is a second the agent keeps acting. Sized for an emergency, calm while all is well; the
 * reason is optional and can be typed beforehand. Engaged, it gives way to the kill report, the
 * state banner with the way back (re-arm).
 */
export function KillSwitchButton() {
  const connected = useApp((s) => s.connection === 'connected' && s.snapshot !== null);
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const busy = useApp((s) => s.busy === 'killswitch:engage');
  const engage = useApp((s) => s.engageKillSwitch);
  const [reason, setReason] = useState('');
  if (engaged) return null;

  return (
    <section className="kill-switch card" aria-label="Kill switch">
      <div className="kill-switch__row">
        <button
          type="button"
          className="kill-switch__button"
          data-testid="kill-switch"
          disabled={!connected || busy}
          onClick={() => void engage(reason)}
        >
          <OctagonX aria-hidden="true" size={24} />
          {!connected
            ? 'Not connected to the supervisor'
            : busy
              ? 'Stopping everything…'
              : 'Stop everything'}
        </button>
        <label className="kill-switch__reason">
          Reason (optional)
          <input
            type="text"
            maxLength={500}
            value={reason}
            placeholder="e.g. it answered a stranger"
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
      </div>
      <p className="kill-switch__hint">{KILL_SWITCH_HINT}</p>
    </section>
  );
}
