import { useState } from 'react';
import { useApp } from '../state/store-context.js';

/**
 * The big red button. One click, no confirmation: in an incident, every second of dialog is a
 * second the agent keeps acting. The reason is optional and can be typed beforehand.
 */
export function KillSwitchButton() {
  const connected = useApp((s) => s.connection === 'connected' && s.snapshot !== null);
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const busy = useApp((s) => s.busy === 'killswitch:engage');
  const engage = useApp((s) => s.engageKillSwitch);
  const [reason, setReason] = useState('');

  return (
    <section className="kill-switch" aria-label="Kill switch">
      <button
        type="button"
        className="kill-switch__button"
        data-testid="kill-switch"
        disabled={!connected || engaged || busy}
        onClick={() => void engage(reason)}
      >
        {!connected
          ? 'Not connected to the supervisor'
          : engaged
            ? 'Kill switch engaged'
            : busy
              ? 'Stopping everything…'
              : 'STOP EVERYTHING'}
      </button>
      {!engaged && (
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
      )}
      <p className="kill-switch__hint">
        Kills the gateway and every sandbox container of this installation at once. Nothing restarts
        until you re-arm.
      </p>
    </section>
  );
}
