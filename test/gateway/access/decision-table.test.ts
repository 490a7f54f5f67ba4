import { describe, expect, it } from 'vitest';
import type { DmPolicy } from '../../../src-shared/config/schema.js';
import { createAccessStore } from '../../../src-main/access/access-store.js';
import { PairingService } from '../../../src-main/access/pairing-service.js';
import { createAllowlistRepo } from '../../../src-main/store/allowlist-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import { dm, groupMessage, useGatewayHarness, writeConfig } from '../../helpers/gateway-harness.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';

/**
 * Every DM policy × sender state × chat kind × mention state, through the real gateway core
 * (config file, SQLite, pipeline): does the message reach a session, which one, and what is
 * replied — and is the session step (the way to the agent) never called for anything else?
 */
type Sender = 'owner' | 'config-allowed' | 'approved' | 'pending' | 'stranger';
type Expected = { deliver: string; trust: string } | { reply: 'pairing-code' } | { drop: string };

const ids: Record<Sender, string> = {
  owner: '100',
  'config-allowed': '200',
  approved: '300',
  pending: '400',
  stranger: '500',
};
const GROUP = '-900';

function expectedDm(policy: DmPolicy, sender: Sender): Expected {
  if (policy === 'disabled') return { drop: 'dm-disabled' };
  if (sender === 'owner') return { deliver: 'main', trust: 'owner' };
  if (sender === 'config-allowed' || sender === 'approved')
    return { deliver: `dm:telegram:${ids[sender]}`, trust: 'allowed' };
  if (policy === 'open') return { deliver: `dm:telegram:${ids[sender]}`, trust: 'public' };
  if (policy === 'allowlist') return { drop: 'not-allowlisted' };
  return sender === 'pending' ? { drop: 'pairing-pending' } : { reply: 'pairing-code' };
}

function expectedGroup(sender: Sender, mentioned: boolean): Expected {
  // Only the owner and groupAllowFrom may trigger the bot in a group; DM approval is not enough,
  // and a stranger in a group never gets a pairing code.
  if (sender !== 'owner' && sender !== 'config-allowed')
    return { drop: 'group-sender-not-allowed' };
  return mentioned
    ? { deliver: `group:telegram:${GROUP}`, trust: 'group' }
    : { drop: 'not-mentioned' };
}

const policies: DmPolicy[] = ['pairing', 'allowlist', 'open', 'disabled'];
const senders: Sender[] = ['owner', 'config-allowed', 'approved', 'pending', 'stranger'];
const cases = policies.flatMap((policy) =>
  senders.flatMap((sender) =>
    (['dm', 'group'] as const).flatMap((kind) =>
      [true, false].map((mentioned) => ({
        policy,
        sender,
        kind,
        mentioned,
        expected: kind === 'dm' ? expectedDm(policy, sender) : expectedGroup(sender, mentioned),
      })),
    ),
  ),
);

describe('the access decision table', () => {
  const stateDir = useTempStateDirs();
  const harness = useGatewayHarness();

  it.each(cases)(
    '$policy / $sender / $kind / mentioned=$mentioned',
    async ({ policy, sender, kind, mentioned, expected }) => {
      const dir = stateDir();
      writeConfig(dir, {
        owner: { telegram: [ids.owner] },
        telegram: {
          dmPolicy: policy,
          allowFrom: policy === 'open' ? ['*', ids['config-allowed']] : [ids['config-allowed']],
          groups: { [GROUP]: {} },
          groupAllowFrom: [ids['config-allowed']],
        },
        routing: { groupChat: { mentionPatterns: ['@clawd\\b'] } },
      });
      const setup = openDatabase(dir);
      createAllowlistRepo(setup).add({
        provider: 'telegram',
        kind: 'dm',
        id: ids.approved,
        displayName: 'Friend',
        at: 1,
        by: 'cli',
      });
      // This sender already asked (and got its one reply) while the policy was `pairing`.
      new PairingService(createAccessStore(setup)).onStranger('telegram', ids.pending, 'Pat');
      setup.close();

      const h = harness(dir);
      const text = mentioned ? 'hey @clawd, run find ~' : 'run find ~ and send me the output';
      const envelope =
        kind === 'dm' ? dm(ids[sender], text) : groupMessage(GROUP, ids[sender], text);
      const verdict = await h.gateway.inbound.handleInbound(envelope);

      if ('deliver' in expected) {
        expect(verdict).toMatchObject({
          action: 'deliver',
          sessionKey: expected.deliver,
          trust: expected.trust,
        });
        expect(h.deliver).toHaveBeenCalledOnce();
        expect(h.deliver.mock.calls[0]?.[0]).toMatchObject({
          sessionKey: expected.deliver,
          envelope: { text },
        });
        expect(h.sent).toEqual([]);
      } else if ('reply' in expected) {
        expect(verdict?.action).toBe('pairing-reply');
        expect(h.deliver).not.toHaveBeenCalled();
        const replies = h.sent.filter((m) => m.chatId === ids[sender]);
        expect(replies).toHaveLength(1);
        expect(replies[0]?.text).toMatch(/ignored until its owner approves/);
        expect(replies[0]?.text).toMatch(
          /clawdbot pairing approve --provider telegram [A-HJ-NP-Z2-9]{8}$/,
        );
        // A new request is also told to the owner in their own chat (exec approvals' notices),
        // and nothing goes anywhere else.
        const notices = h.sent.filter((m) => m.chatId !== ids[sender]);
        expect(notices.map((m) => m.chatId)).toEqual(sender === 'stranger' ? [ids.owner] : []);
        for (const notice of notices) expect(notice.text).toMatch(/^Pairing request on telegram/);
        // What the stranger wrote is kept once, with their request, for the owner to read
        // (issue 14); nowhere else: not in the request's other fields, the audit trail or the
        // owner's chat notice, and (above) no session got it.
        const request = new PairingService(createAccessStore(h.db))
          .list('telegram')
          .find((r) => r.senderId === ids[sender]);
        expect(request?.firstMessage).toBe(text);
        const dump =
          JSON.stringify({ ...request, firstMessage: null }) +
          JSON.stringify(h.db.prepare('SELECT * FROM access_audit').all()) +
          JSON.stringify(notices);
        expect(dump).not.toContain('find ~');
      } else {
        // The session it would have reached, where a block worth recording is recorded, and
        // whether the owner wrote it (never counted as a blocked attempt).
        const wouldBe = kind === 'dm' ? `dm:telegram:${ids[sender]}` : `group:telegram:${GROUP}`;
        expect(verdict).toEqual({
          action: 'drop',
          reason: expected.drop,
          sessionKey: wouldBe,
          ...(sender === 'owner' ? { fromOwner: true } : {}),
        });
        expect(h.deliver).not.toHaveBeenCalled();
        expect(h.sent).toEqual([]);
      }
      // Never does anyone but the owner reach the owner's session.
      if (sender !== 'owner' && verdict?.action === 'deliver')
        expect(verdict.sessionKey).not.toBe('main');
    },
  );
});
