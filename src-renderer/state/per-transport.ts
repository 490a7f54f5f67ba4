import type { Transport } from '../transport.js';

/**
 * Makes `create` run once per transport: a view's store then outlives the view, so leaving and
 * coming back shows the last state at once, and two components share one store.
 */
export function oncePerTransport<S>(
  create: (transport: Transport) => S,
): (transport: Transport) => S {
  const made = new WeakMap<Transport, S>();
  return (transport) => {
    let value = made.get(transport);
    if (value === undefined) {
      value = create(transport);
      made.set(transport, value);
    }
    return value;
  };
}
