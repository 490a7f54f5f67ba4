import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SetupState, SetupStep } from '../../../src-shared/domain/setup.js';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../../src-shared/ipc/contract.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { oncePerTransport } from '../../state/per-transport.js';
import { useTransport } from '../../state/store-context.js';

/**
 * The setup state one window knows, shared by every component that shows it: finishing the
 * setup on its page must also take down the banner that offers it elsewhere.
 */
type SetupStateStore = StoreApi<{ state: SetupState | null }>;
const newSetupStore = (): SetupStateStore => createStore(() => ({ state: null }));
const setupStoreFor = oncePerTransport(newSetupStore);
// Stands in before there is a transport, so the hook order stays fixed.
const noTransportStore = newSetupStore();

/** The setup flow's state and a way to call the supervisor with errors kept as values. */
export interface SetupHandle {
  state: SetupState | null;
  error: string | null;
  /** Calls a channel; resolves with its value, or null after showing what went wrong. */
  call: <C extends InvokeChannel>(
    channel: C,
    input: InvokeInput<C>,
  ) => Promise<InvokeOutput<C> | null>;
  refresh: () => Promise<void>;
  /** Moves to `step`, saving the progress (`done` adds a finished step). */
  go: (step: SetupStep, done?: SetupStep) => Promise<void>;
  finish: () => Promise<void>;
}

/**
 * The setup flow's state from the supervisor, asked again every two seconds while an owner code
 * waits to be sent (the gateway binds the owner; this only watches for it).
 */
export function useSetup(): SetupHandle {
  const transport = useTransport();
  const store = transport ? setupStoreFor(transport) : noTransportStore;
  const state = useStore(store, (s) => s.state);
  const [error, setError] = useState<string | null>(null);

  const call = async <C extends InvokeChannel>(
    channel: C,
    input: InvokeInput<C>,
  ): Promise<InvokeOutput<C> | null> => {
    if (!transport) return null;
    try {
      const reply = await transport.invoke(channel, input);
      if (reply.ok) {
        setError(null);
        return reply.value;
      }
      setError(reply.error.message);
    } catch (failure) {
      setError(describeError(failure));
    }
    return null;
  };
  const setState = (next: SetupState) => store.setState({ state: next });
  const refresh = async () => {
    const next = await call('setup:get', {});
    if (next) setState(next);
  };

  const waiting = state?.ownerCode !== null && state?.ownerCode?.claimedBy === null;
  useEffect(() => {
    if (!transport) return undefined;
    let live = true;
    const load = () =>
      transport.invoke('setup:get', {}).then(
        (reply) => {
          if (live && reply.ok) store.setState({ state: reply.value });
        },
        () => undefined,
      );
    void load();
    const timer = waiting ? setInterval(() => void load(), 2000) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [transport, store, waiting]);

  const save = async (step: SetupStep, done: SetupStep[], finished: boolean) => {
    const next = await call('setup:progress', { step, done, finished });
    if (next) setState(next);
  };
  return {
    state,
    error,
    call,
    refresh,
    go: (step, done) =>
      save(
        step,
        done ? [...(state?.done ?? []), done] : (state?.done ?? []),
        state?.finished ?? false,
      ),
    finish: () => save(state?.step ?? 'audit', state?.done ?? [], true),
  };
}
