import { AppError } from '../../src-shared/domain/app-error.js';
import {
  invokeContract,
  isInvokeChannel,
  type InvokeChannel,
  type InvokeOutput,
  type InvokeParsedInput,
} from '../../src-shared/ipc/contract.js';
import { errorEnvelope, okEnvelope, type Envelope } from '../../src-shared/ipc/envelope.js';
import { describeZodError } from '../../src-shared/ipc/validation.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** Who is calling, as established by the transport (never by the payload). */
export interface CallContext {
  /** `tray`: the desktop app's tray menu, in the supervisor's own process. */
  transport: 'electron' | 'tray' | 'web' | 'control-socket';
}

/** One handler per contract channel, receiving validated input. */
export type ContractHandlers = {
  [C in InvokeChannel]: (
    input: InvokeParsedInput<C>,
    context: CallContext,
  ) => InvokeOutput<C> | Promise<InvokeOutput<C>>;
};

/** Dispatches one call: unknown channel → error, bad input → error, handler result → envelope. */
export type Dispatch = (
  channel: unknown,
  input: unknown,
  context: CallContext,
) => Promise<Envelope<unknown>>;

/**
 * The one place every contract call goes through, whatever the transport: it validates input
 * with the channel's schema, runs the handler, validates the output, and turns every failure
 * into an `{ ok: false }` envelope so nothing is thrown across a process boundary.
 */
export function createDispatch(
  handlers: ContractHandlers,
  onInternalError: (channel: string, error: unknown) => void = () => undefined,
): Dispatch {
  return async (channel, input, context) => {
    if (!isInvokeChannel(channel)) {
      return errorEnvelope('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(channel)}`);
    }
    const spec = invokeContract[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return errorEnvelope('BAD_INPUT', `${channel}: ${describeZodError(parsed.error)}`);
    }
    try {
      const handler = handlers[channel] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        onInternalError(channel, checked.error);
        return errorEnvelope('INTERNAL', `${channel}: reply did not match the contract`);
      }
      return okEnvelope(checked.data);
    } catch (error) {
      if (error instanceof AppError) return errorEnvelope(error.code, error.message);
      onInternalError(channel, error);
      return errorEnvelope('INTERNAL', `${channel} failed: ${describeError(error)}`);
    }
  };
}
