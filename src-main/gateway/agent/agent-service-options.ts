import type Docker from 'dockerode';
import type { ModelConfig } from '../../../src-shared/config/agent-schema.js';
import type { ConfigService } from '../../config/config-service.js';
import type { Logger } from '../../logging/logger.js';
import type { BlockedCountsRepo } from '../../store/blocked-counts-repo.js';
import type { UsageRepo } from '../../store/usage-repo.js';
import type { ApprovalGate } from '../approvals/approval-gate.js';
import type { Delivery } from '../inbound/delivery.js';
import type { KeychainSecretSource } from '../keychain-secret.js';
import type { QueuedMessages } from '../outbound/outbound-router.js';
import type { SessionRecorder } from '../sessions/session-recorder.js';
import type { ModelClient } from './model/model-types.js';

/** Where the agent's replies go. */
export interface AgentReplies {
  /**
   * Stores a reply to a delivery (durably, tied to its inbox message) without sending it:
   * synchronous, so it shares a transaction with the transcript events it goes with.
   */
  queue(delivery: Delivery, text: string): QueuedMessages;
  /** Sends what was queued; resolves once it was tried (see `OutboundRouter.deliver`). */
  deliver(queued: QueuedMessages): Promise<void>;
}

/** What the agent service needs from the gateway. */
export interface AgentServiceOptions {
  stateDir: string;
  log: Logger;
  recorder: SessionRecorder;
  /** The process's config: the agent answers with the one in force (the last good one). */
  config: Pick<ConfigService, 'current'>;
  /** Sends text back to the chat a delivery came from, through the durable outbox. */
  replies: AgentReplies;
  /** Runs `work` in one database transaction: a turn's last events and its reply commit together. */
  transaction: <T>(work: () => T) => T;
  /** Shows "typing…" in the delivery's chat until the returned function runs. */
  typing?: (delivery: Delivery) => (() => void) | undefined;
  /** Tells the owner something went wrong that they must act on (console and log). */
  notifyOwner: (text: string) => void;
  /** No model configured: the providers issue's short reply. */
  notConfigured: (delivery: Delivery) => Promise<void>;
  /** The gateway's environment (model keys are read from it; tools never see them). */
  env: NodeJS.ProcessEnv;
  /** The model key from the OS keychain (desktop app), used when the env has none. */
  modelKey?: KeychainSecretSource;
  /** The Docker engine sandboxes run on; default: `DOCKER_HOST` or the local socket. */
  docker?: Docker;
  /** For tests: build the model client. */
  modelFactory?: (config: ModelConfig) => ModelClient;
  now?: () => number;
  /** Where daily model use is counted (the budgets' ledger). */
  usage: UsageRepo;
  /** Where messages over a sender's rate are counted as blocked attempts; absent: nowhere. */
  blocked?: BlockedCountsRepo;
  /** The clock message rates and daily budgets run on; default `now`. */
  limitsClock?: () => number;
  /** Host commands wait here for the owner's decision (`agent.approvals`); absent: none wait. */
  approvals?: ApprovalGate;
}
