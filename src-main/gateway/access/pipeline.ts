import { composeSteps, type AccessContext } from './access-context.js';
import { catchUpStep } from './steps/catch-up.js';
import { identityStep } from './steps/identity.js';
import { scopeStep } from './steps/scope.js';
import { trustStep } from './steps/trust.js';
import type { Verdict } from './verdict.js';

/**
 * The inbound pipeline: catch-up → identity → scope → trust/session. Access control before
 * intelligence: only a `deliver` verdict ever reaches a session's agent, and so a model.
 */
export const decideInbound: (ctx: AccessContext) => Verdict = composeSteps(
  [catchUpStep, identityStep, scopeStep],
  trustStep,
);
