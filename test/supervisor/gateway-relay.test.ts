import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleMessage, ProviderStatus } from '../../src-shared/domain/provider-status.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';
import { NOT_CONFIGURED_OWNER_TEXT } from '../../src-main/gateway/not-configured-responder.js';
import { useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

describe('the supervisor relays the gateway’s console and providers', () => {
  const stateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();
  let subscriptions = new AbortController();
  const signal = (): AbortSignal => subscriptions.signal;
  afterEach(() => {
    subscriptions.abort();
    subscriptions = new AbortController();
  });

  it('round-trips a console message through the real gateway to the main session', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir() });
    const messages: ConsoleMessage[] = [];
    supervisor.events.on('console:message', (message) => messages.push(message), signal());
    supervisor.startGateway();
    await waitForState(supervisor, 'running');

    const sent = supervisor.relay.consoleSend('hello, are you there?');
    expect(sent).toMatchObject({ role: 'owner', text: 'hello, are you there?' });
    const reply = await waitFor('the assistant’s reply', () =>
      messages.find((m) => m.role === 'assistant'),
    );
    expect(reply.text).toBe(NOT_CONFIGURED_OWNER_TEXT);
    expect(supervisor.relay.consoleHistory().map((m) => m.role)).toEqual(['owner', 'assistant']);
  });

  it('reports provider statuses from the gateway, and stopped ones while it is down', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir() });
    const updates: ProviderStatus[][] = [];
    supervisor.events.on('providers:changed', (statuses) => updates.push(statuses), signal());
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    // No token and WhatsApp not enabled: both disabled, as reported by the gateway itself.
    await waitFor('statuses from the gateway', () =>
      supervisor.relay.providers().every((s) => s.state === 'disabled'),
    );
    await supervisor.stopGateway();
    expect(() => supervisor.relay.consoleSend('anyone?')).toThrow(/gateway is not running/);
    expect(() => supervisor.relay.controlProvider('telegram', 'start')).toThrow(
      /gateway is not running/,
    );
    // The live view was told what the gateway reported: every provider, disabled; the stop
    // changed nothing a disabled provider shows, so that is still the last word.
    expect(updates.at(-1)?.map((s) => [s.provider, s.state])).toEqual(
      MESSAGING_PROVIDERS.map((provider) => [provider, 'disabled']),
    );
    expect(updates.at(-1)).toEqual(supervisor.relay.providers());
  });
});
