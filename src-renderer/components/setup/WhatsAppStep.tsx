import { ProviderCard } from '../ProviderCard.js';
import { useApp } from '../../state/store-context.js';

/** Step 3: WhatsApp, linked by scanning the QR code with the phone (optional). */
export function WhatsAppStep() {
  const status = useApp((s) => s.providers?.find((p) => p.provider === 'whatsapp'));
  const running = useApp((s) => s.snapshot?.gateway.state === 'running');
  return (
    <div className="stack">
      <p>
        Optional. Start WhatsApp, then on your phone open WhatsApp → Settings → Linked devices →
        Link a device, and scan the code.
      </p>
      {status ? (
        <ProviderCard status={status} gatewayRunning={running} />
      ) : (
        <p className="muted">Waiting for the gateway to report its providers…</p>
      )}
    </div>
  );
}
