import * as Tooltip from '@radix-ui/react-tooltip';
import { Box, CircleAlert, ListChecks, OctagonX, Plug, Server, UserPlus } from 'lucide-react';
import type { ReactNode } from 'react';
import { providerName } from '../../src-shared/domain/pairing-display.js';
import { usePendingApprovals } from '../state/approvals-store.js';
import { useApp } from '../state/store-context.js';
import { engineWords } from './engine-words.js';
import { providerHealth, providerStateWords } from './provider-words.js';

/** How a part is doing, as the status bar colours it: severity only, never decoration. */
type Health = 'ok' | 'warn' | 'bad' | 'off';

function Item(props: {
  health: Health;
  icon: ReactNode;
  label: string;
  detail: string;
  testId: string;
  onClick?: () => void;
}) {
  const body = (
    <>
      {props.icon}
      <span className={`status-dot status-dot--${props.health}`} aria-hidden="true" />
      <span className="statusbar__text">{props.label}</span>
    </>
  );
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        {props.onClick ? (
          <button
            type="button"
            className="statusbar__item"
            data-testid={props.testId}
            data-health={props.health}
            aria-label={`${props.label}: ${props.detail}`}
            onClick={props.onClick}
          >
            {body}
          </button>
        ) : (
          <span
            className="statusbar__item"
            data-testid={props.testId}
            data-health={props.health}
            // Focusable, so the tooltip's detail is reachable by keyboard too.
            tabIndex={0}
            aria-label={`${props.label}: ${props.detail}`}
          >
            {body}
          </span>
        )}
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content side="top" className="tooltip" sideOffset={6}>
          {props.detail}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}

function GatewayItem() {
  const gateway = useApp((s) => s.snapshot?.gateway ?? null);
  const showView = useApp((s) => s.showView);
  if (!gateway) return null;
  const health: Health =
    gateway.state === 'running'
      ? 'ok'
      : gateway.state === 'crashed'
        ? 'bad'
        : gateway.state === 'stopped'
          ? 'off'
          : 'warn';
  return (
    <Item
      health={health}
      icon={<Server aria-hidden="true" size={14} />}
      label={`Gateway ${gateway.state}`}
      detail={gateway.message ?? `The gateway is ${gateway.state}.`}
      testId="status-gateway"
      onClick={() => showView('dashboard')}
    />
  );
}

function ProviderItems() {
  const providers = useApp((s) => s.providers);
  const showView = useApp((s) => s.showView);
  const shown = (providers ?? []).filter((p) => p.state !== 'disabled');
  if (providers !== null && shown.length === 0)
    return (
      <Item
        health="off"
        icon={<Plug aria-hidden="true" size={14} />}
        label="No providers"
        detail="Neither Telegram nor WhatsApp is set up."
        testId="status-providers"
        onClick={() => showView('providers')}
      />
    );
  return shown.map((status) => (
    <Item
      key={status.provider}
      health={providerHealth(status)}
      icon={<Plug aria-hidden="true" size={14} />}
      label={providerName(status.provider)}
      detail={providerStateWords(status)}
      testId={`status-provider-${status.provider}`}
      onClick={() => showView('providers')}
    />
  ));
}

function EngineItem() {
  const engine = useApp((s) => s.snapshot?.sandboxEngine);
  const showView = useApp((s) => s.showView);
  if (!engine) return null;
  const words = engineWords(engine);
  return (
    <Item
      health={words.health}
      icon={<Box aria-hidden="true" size={14} />}
      label={words.label}
      detail={words.detail}
      testId="status-engine"
      onClick={() => showView('sandboxes')}
    />
  );
}

function WaitingItems() {
  const approvals = usePendingApprovals().length;
  const pairing = useApp((s) => s.pending?.length ?? 0);
  const showView = useApp((s) => s.showView);
  return (
    <>
      {approvals > 0 && (
        <Item
          health="warn"
          icon={<ListChecks aria-hidden="true" size={14} />}
          label={`${approvals} approval${approvals === 1 ? '' : 's'}`}
          detail="Commands waiting for you to allow or deny them."
          testId="status-approvals"
          onClick={() => showView('approvals')}
        />
      )}
      {pairing > 0 && (
        <Item
          health="warn"
          icon={<UserPlus aria-hidden="true" size={14} />}
          label={`${pairing} pairing`}
          detail="People waiting for you to approve or reject them."
          testId="status-pairing"
          onClick={() => showView('pairing')}
        />
      )}
    </>
  );
}

/**
 * The compact kill switch: one click, like the big one, on every view, so trouble spotted in
 * Sessions or Logs is stopped from there. Engaged, it names the state and leads to the report.
 */
function CompactKillSwitch() {
  const connected = useApp((s) => s.connection === 'connected' && s.snapshot !== null);
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const busy = useApp((s) => s.busy === 'killswitch:engage');
  const engage = useApp((s) => s.engageKillSwitch);
  const showView = useApp((s) => s.showView);
  if (engaged)
    return (
      <button
        type="button"
        className="statusbar__kill statusbar__kill--engaged"
        data-testid="statusbar-kill-engaged"
        onClick={() => showView('dashboard')}
      >
        <CircleAlert aria-hidden="true" size={14} />
        Kill switch engaged — see report
      </button>
    );
  return (
    <button
      type="button"
      className="statusbar__kill"
      data-testid="statusbar-kill-switch"
      aria-label="Kill switch: stop everything now"
      disabled={!connected || busy}
      onClick={() => void engage()}
    >
      <OctagonX aria-hidden="true" size={14} />
      {busy ? 'Stopping…' : 'Stop everything'}
    </button>
  );
}

/** The status bar under every view: what runs, what waits, and the compact kill switch. */
export function StatusBar() {
  return (
    <Tooltip.Provider delayDuration={300}>
      <footer className="statusbar" aria-label="Status" data-testid="statusbar">
        <div className="statusbar__items">
          <GatewayItem />
          <ProviderItems />
          <EngineItem />
          <WaitingItems />
        </div>
        <CompactKillSwitch />
      </footer>
    </Tooltip.Provider>
  );
}
