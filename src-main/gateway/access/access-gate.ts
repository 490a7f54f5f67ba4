import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { PairingService } from '../../access/pairing-service.js';
import type { ConfigService } from '../../config/config-service.js';
import type { OwnerClaimsRepo } from '../../store/owner-claims-repo.js';
import type { ApprovedCache } from './approved-cache.js';
import { compileAccess, type CompiledAccess } from './compiled-access.js';
import { decideInbound } from './pipeline.js';
import type { Verdict } from './verdict.js';

/** What the access gate needs. */
export interface AccessGateOptions {
  /** The process's config: the rules in force follow its good configs. */
  config: Pick<ConfigService, 'current' | 'onChange'>;
  /** Who the owner approved (the database's allowlist, held in memory). */
  approved: ApprovedCache;
  /** Where a stranger's pairing request is made under `pairing`. */
  pairing: Pick<PairingService, 'onStranger'>;
  /** Ends the gate's subscription to config changes. */
  signal?: AbortSignal;
  /** The setup flow's one-time owner codes (see `OwnerClaimsRepo.claim`). */
  ownerClaims?: Pick<OwnerClaimsRepo, 'claim'>;
  now?: () => number;
}

/**
 * The access pipeline's inputs kept current: the config's access rules, compiled once per good
 * config (a rejected edit keeps the rules in force), the approved allowlist and pairing. Deciding
 * is then one synchronous pass of the pipeline's steps over memory.
 */
export class AccessGate {
  private access: CompiledAccess;

  constructor(private readonly options: AccessGateOptions) {
    this.access = compileAccess(options.config.current().config);
    options.config.onChange((state) => {
      if (!state.errors) this.access = compileAccess(state.config);
    }, options.signal);
  }

  /**
   * The verdict on one message. `catchUpAt`: the time a message that waited while the gateway
   * was away is judged at (see `AccessContext.catchUpAt`).
   */
  decide(envelope: Envelope, catchUpAt?: number): Verdict {
    // Before any access decision, from any sender: the owner is not on any allowlist yet.
    const { ownerClaims, now = Date.now } = this.options;
    if (
      ownerClaims &&
      envelope.provider !== 'console' &&
      envelope.chatKind === 'dm' &&
      !envelope.isHistory &&
      ownerClaims.claim(envelope.text, envelope.provider, envelope.senderId, now())
    ) {
      return { action: 'owner-claimed', provider: envelope.provider, senderId: envelope.senderId };
    }
    return decideInbound({
      envelope,
      access: this.access,
      approved: this.options.approved,
      onStranger: (provider, senderId, name, contact) => {
        const outcome = this.options.pairing.onStranger(provider, senderId, name, contact);
        // Approved elsewhere since our last poll: catch up now so the next message is a Set lookup.
        if (outcome.kind === 'approved') this.options.approved.refresh();
        return outcome;
      },
      ...(catchUpAt === undefined ? {} : { catchUpAt }),
    });
  }

  /** Reads the approved allowlist again (another process approved or removed someone). */
  refreshApprovals(): void {
    this.options.approved.refresh();
  }
}
