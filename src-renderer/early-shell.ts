import type { KillSwitchState } from '../src-shared/domain/kill-switch.js';
import type { StatusSnapshot } from '../src-shared/ipc/contract.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';
import type { Transport } from './transport.js';
import { GATEWAY_STATE_LABELS, KILL_SWITCH_HINT } from './components/early-words.js';

/*
 * The first thing the owner sees, painted by the page's inline first script (early-page.ts)
 * with plain DOM while React and the views (the bulk of the code) still load and compile:
 * whether the gateway runs, and a kill switch that works. In an emergency, the owner must not
 * wait for the dashboard to stop the agent, and a view that fails to load or crashes must not
 * take the kill switch with it. React's first render replaces all of this; only zod-free,
 * React-free code belongs here (it is inlined in the page: every kilobyte is parsed before the
 * first paint).
 */

/** The early shell on the page, until the app takes over. */
export interface EarlyShell {
  /**
   * Settles once the first status has been handled: true when the shell went into the page
   * with it, false when there is nothing to show (the call failed, or the app took over first).
   */
  shown: Promise<boolean>;
  /**
   * The status the app should start from: the first snapshot, or a newer one once anything
   * happened here (an engage, an event), since the app subscribes to events only later.
   */
  latest(): Promise<Envelope<StatusSnapshot>>;
  /** The app failed to load: say so, and keep the kill switch. */
  failed(error: unknown): void;
  /** Stops listening; the app's first render replaces the DOM. */
  dispose(): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value !== undefined) node.setAttribute(name, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Once the parser has reached the end of the page: `#root` exists. The first script runs in the
 * head, before the body is parsed.
 */
function parsed(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) =>
    document.addEventListener('readystatechange', () => resolve(), { once: true }),
  );
}

/** The page's `#root`, where the early shell and then the app go. */
function pageRoot(): HTMLElement {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  return root;
}

/**
 * Paints the early shell into `#root` when the first status snapshot arrives (not before: a
 * shell without the state would say nothing), unless the app has taken over by then.
 */
export function startEarlyShell(
  transport: Transport,
  first: Promise<Envelope<StatusSnapshot>>,
): EarlyShell {
  let latest = first;
  let disposed = false;
  let snapshot: StatusSnapshot | null = null;
  let engaging = false;
  let engageError: string | null = null;
  let loadError: string | null = null;
  const unsubscribe: (() => void)[] = [];

  // The app's main column (base.css), where the dashboard will be.
  const main = element('main', { class: 'early-shell shell__main', 'aria-busy': 'true' });
  const render = () => {
    if (disposed) return;
    if (!snapshot) {
      // No state to show (the snapshot failed or is slow): only the app's failure, if any.
      if (loadError) main.replaceChildren(progress());
      return;
    }
    const gateway = element('section', { class: 'card', 'aria-label': 'Gateway' });
    const header = element('header', { class: 'card__header' });
    header.append(
      element('h2', {}, 'Gateway'),
      element(
        'span',
        { class: `badge badge--${snapshot.gateway.state}`, 'data-testid': 'gateway-state' },
        GATEWAY_STATE_LABELS[snapshot.gateway.state],
      ),
    );
    gateway.append(header);
    main.replaceChildren(gateway, killSwitch(snapshot.killSwitch), progress());
  };

  const killSwitch = (state: KillSwitchState): HTMLElement => {
    if (state.engaged) {
      const banner = element('section', {
        class: 'card card--engaged',
        role: 'status',
        'data-testid': 'early-kill-engaged',
      });
      banner.append(
        element(
          'p',
          {},
          `Kill switch engaged${state.engagedAt !== null ? ` at ${new Date(state.engagedAt).toLocaleTimeString()}` : ''}: the gateway and every sandbox were stopped. Nothing restarts until you re-arm.`,
        ),
      );
      return banner;
    }
    const card = element('section', { class: 'kill-switch card', 'aria-label': 'Kill switch' });
    const button = element(
      'button',
      { type: 'button', class: 'kill-switch__button', 'data-testid': 'kill-switch' },
      engaging ? 'Stopping everything…' : 'Stop everything',
    );
    button.disabled = engaging;
    button.addEventListener('click', () => void engage());
    card.append(button, element('p', { class: 'kill-switch__hint' }, KILL_SWITCH_HINT));
    if (engageError) {
      card.append(element('p', { class: 'notice notice--error', role: 'alert' }, engageError));
    }
    return card;
  };

  const progress = (): HTMLElement =>
    loadError
      ? element(
          'p',
          { class: 'notice notice--error', role: 'alert', 'data-testid': 'early-load-error' },
          `The rest of the app could not load (${loadError}). The kill switch above still works; reload the page to try again.`,
        )
      : element('p', { class: 'muted', role: 'status' }, 'Loading the dashboard…');

  const refresh = () => {
    latest = transport.invoke('status:get', {});
    void latest.then((reply) => {
      if (!reply.ok) return;
      snapshot = reply.value;
      render();
    });
  };

  const engage = async () => {
    engaging = true;
    engageError = null;
    render();
    const reply = await transport.invoke('killswitch:engage', {});
    engaging = false;
    if (!reply.ok) engageError = `The kill switch failed: ${reply.error.message}`;
    refresh();
    render();
  };

  // The state moves on while the app loads: keep what is shown true, and hand the app a fresh
  // snapshot (its own subscriptions start later and would miss these events).
  const moved = (change: Partial<StatusSnapshot>) => {
    if (!snapshot) return;
    snapshot = { ...snapshot, ...change };
    latest = transport.invoke('status:get', {});
    render();
  };
  unsubscribe.push(
    transport.on('gateway:changed', (gateway) => moved({ gateway })),
    transport.on('killswitch:changed', (killSwitch) => moved({ killSwitch })),
  );

  const shown = first.then(
    async (reply) => {
      if (disposed || !reply.ok) return false;
      snapshot = reply.value;
      render();
      await parsed();
      if (disposed) return false;
      pageRoot().replaceChildren(main);
      return true;
    },
    // The desktop bridge's invoke rejects when the main process's handler throws: nothing to show.
    () => false,
  );

  return {
    shown,
    latest: () => latest,
    failed(error) {
      loadError = error instanceof Error ? error.message : String(error);
      main.removeAttribute('aria-busy');
      const root = pageRoot();
      if (main.parentNode !== root) root.replaceChildren(main);
      render();
    },
    dispose() {
      disposed = true;
      for (const stop of unsubscribe) stop();
    },
  };
}
