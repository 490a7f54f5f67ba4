import type { ConfigService } from '../config/config-service.js';
import { processRedactor } from '../logging/redact.js';
import { envClock } from '../process/env-clock.js';
import type { BlockedCountsRepo } from '../store/blocked-counts-repo.js';
import { createSessionsRepo } from '../store/sessions-repo.js';
import { createUsageRepo } from '../store/usage-repo.js';
import { AgentService } from './agent/agent-service.js';
import type { AgentReplies } from './agent/agent-service-options.js';
import type { ApprovalGate } from './approvals/approval-gate.js';
import type { GatewayEvents, GatewayOptions } from './gateway-options.js';
import { createNotConfiguredResponder } from './not-configured-responder.js';
import type { OutboundRouter } from './outbound/outbound-router.js';
import { replyTarget } from './outbound/reply-target.js';
import { SessionRecorder } from './sessions/session-recorder.js';

/** The agent as the session step, with what it needs from the parts built before it. */
export function composeAgent(
  options: GatewayOptions,
  parts: {
    config: ConfigService;
    outbound: OutboundRouter;
    events: GatewayEvents;
    now: () => number;
    /** Where messages over a sender's rate are counted as blocked attempts. */
    blocked: BlockedCountsRepo;
    /** Builds the approvals gate over the agent's transcript recorder. */
    approvals: (recorder: SessionRecorder) => ApprovalGate;
  },
): AgentService {
  const { db, log } = options;
  const { config, outbound, events, now, blocked } = parts;
  // Transcripts are shown in the UI and the CLI: always redacted, whatever the log settings.
  const recorder = new SessionRecorder(
    createSessionsRepo(db),
    () => processRedactor,
    (event) => events.sessionEvent(event),
  );
  const env = options.env ?? process.env;
  const replies: AgentReplies = {
    // A manipulated model may repeat a key it found: no configured secret is stored or sent.
    queue: (delivery, text) =>
      outbound.enqueue({
        ...replyTarget(delivery.envelope),
        text: processRedactor.redact(text),
        inboxId: delivery.inbox?.id ?? null,
      }),
    deliver: (queued) => outbound.deliver(queued),
  };
  return new AgentService({
    stateDir: options.stateDir,
    log: log.child('agent'),
    recorder,
    approvals: parts.approvals(recorder),
    config,
    replies,
    transaction: (work) => db.transaction(work)(),
    typing: (delivery) => outbound.typing(delivery.envelope.provider, delivery.envelope.chatId),
    // Notices for the owner go out like replies, to the console.
    notifyOwner: (text) => void outbound.send({ provider: 'console', chatId: 'console', text }),
    // No model configured: a short "not configured" reply.
    notConfigured: createNotConfiguredResponder({
      reply: (delivery, text) => replies.deliver(replies.queue(delivery, text)),
      onDelivered: (delivery) =>
        log.info('delivered', { session: delivery.sessionKey, trust: delivery.trust }),
    }),
    env,
    modelKey: options.modelKey,
    modelFactory: options.modelFactory,
    docker: options.docker,
    usage: createUsageRepo(db),
    blocked,
    now,
    limitsClock: envClock(env),
  });
}
