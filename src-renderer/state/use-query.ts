import { useEffect, useState } from 'react';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.js';
import { useTransport } from './store-context.js';

/**
 * The reply of a contract query, asked on mount and again whenever `key` changes (the caller's
 * summary of what would make the answer stale); null until the first reply. A reply that
 * arrives after a newer ask is dropped.
 */
export function useQuery<C extends InvokeChannel>(
  channel: C,
  input: InvokeInput<C>,
  key: string,
): InvokeOutput<C> | null {
  const transport = useTransport();
  const [value, setValue] = useState<InvokeOutput<C> | null>(null);
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    if (!transport) return;
    let current = true;
    void transport.invoke(channel, JSON.parse(inputKey) as InvokeInput<C>).then((reply) => {
      if (current && reply.ok) setValue(reply.value);
    });
    return () => {
      current = false;
    };
  }, [transport, channel, inputKey, key]);
  return value;
}
