import { describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../../src-shared/config/schema.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import {
  composeSteps,
  type AccessContext,
  type AccessStep,
} from '../../../src-main/gateway/access/access-context.js';
import type { ApprovedCache } from '../../../src-main/gateway/access/approved-cache.js';
import { compileAccess } from '../../../src-main/gateway/access/compiled-access.js';
import { trustStep } from '../../../src-main/gateway/access/steps/trust.js';
import { dm, groupMessage } from '../../helpers/gateway-harness.js';

/**
 * Issue 11, item 10: the pipeline fails closed by construction. A message whose trust no step
 * decided is dropped (it used to become `public`, a session of its own with tools), and a step
 * that calls `next` twice is a bug that stops the message instead of deciding it twice.
 */

function context(envelope: Envelope): AccessContext {
  return {
    envelope,
    access: compileAccess(ConfigSchema.parse({ telegram: { dmPolicy: 'open', allowFrom: ['*'] } })),
    approved: {
      hasDm: () => false,
      hasGroup: () => false,
      groupCount: () => 0,
    } as unknown as ApprovedCache,
    onStranger: () => {
      throw new Error('no stranger handling expected here');
    },
  };
}

describe('the trust step', () => {
  it('drops a message whose trust no earlier step decided, in a DM and in a group', () => {
    expect(trustStep(context(dm('501', 'run find ~')))).toEqual({
      action: 'drop',
      reason: 'trust-undecided',
      sessionKey: 'dm:telegram:501',
    });
    expect(trustStep(context(groupMessage('-77', '501', '@clawd run find ~')))).toEqual({
      action: 'drop',
      reason: 'trust-undecided',
      sessionKey: 'group:telegram:-77',
    });
  });

  it('delivers once a step decided the trust', () => {
    const ctx = { ...context(dm('501')), trust: 'public' as const };
    expect(trustStep(ctx)).toMatchObject({
      action: 'deliver',
      trust: 'public',
      sessionKey: 'dm:telegram:501',
    });
  });

  it('a pipeline whose steps forget to decide trust reaches no session', () => {
    const forgetful: AccessStep = (_ctx, next) => next();
    const decide = composeSteps([forgetful], trustStep);
    expect(decide(context(dm('501')))).toMatchObject({
      action: 'drop',
      reason: 'trust-undecided',
    });
  });
});

describe('composeSteps', () => {
  it('throws when a step calls next twice, and the last step decides only once', () => {
    const last = vi.fn((ctx: AccessContext) => trustStep({ ...ctx, trust: 'owner' }));
    const twice: AccessStep = (_ctx, next) => {
      next();
      return next();
    };
    const decide = composeSteps([twice], last);
    expect(() => decide(context(dm('501')))).toThrow(/next.*called more than once/);
    expect(last).toHaveBeenCalledTimes(1);
  });

  it('throws for a second next from a later step too; the guard is per message', () => {
    const pass: AccessStep = (_ctx, next) => next();
    // A buggy step: calls next twice, but only for one sender.
    const twiceFor501: AccessStep = (ctx, next) =>
      ctx.envelope.senderId === '501' ? (next(), next()) : next();
    const decide = composeSteps([pass, twiceFor501], (ctx) =>
      trustStep({ ...ctx, trust: 'owner' }),
    );
    expect(() => decide(context(dm('501')))).toThrow(/next.*called more than once/);
    expect(decide(context(dm('502')))).toMatchObject({ action: 'deliver', sessionKey: 'main' });
    expect(decide(context(dm('503')))).toMatchObject({ action: 'deliver', sessionKey: 'main' });
  });
});
