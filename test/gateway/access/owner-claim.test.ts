import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { createOwnerClaimsRepo } from '../../../src-main/store/owner-claims-repo.js';
import { createAllowlistNotesRepo } from '../../../src-main/store/allowlist-notes-repo.js';
import { dm, useGatewayHarness, writeConfig } from '../../helpers/gateway-harness.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';

/** The setup flow's owner code, sent to the bot: the owner bound before any access decision. */
describe('the one-time owner code', () => {
  const harness = useGatewayHarness();
  const stateDir = useTempStateDirs();

  it('makes its first sender the owner, never reaches a model, and works once', async () => {
    const dir = stateDir();
    writeConfig(
      dir,
      "// mine\n{\n  telegram: { dmPolicy: 'pairing' }, // strangers get a code\n}\n",
    );
    const h = harness(dir, { start: true });
    const code = createOwnerClaimsRepo(h.db).create(Date.now()).code;

    const verdict = await h.gateway.inbound.handleInbound(dm('4242', ` ${code.toLowerCase()} `));
    expect(verdict).toMatchObject({
      action: 'owner-claimed',
      provider: 'telegram',
      senderId: '4242',
    });
    expect(h.deliver).not.toHaveBeenCalled();
    expect(h.sent.map((m) => m.chatId)).toEqual(['4242']);
    expect(h.sent[0]?.text).toMatch(/now the owner/);
    const text = readFileSync(join(dir, 'clawdbot.json'), 'utf8');
    expect(JSON5.parse(text)).toMatchObject({ owner: { telegram: ['4242'] } });
    expect(text).toContain('// strangers get a code');
    expect(createAllowlistNotesRepo(h.db).list()).toEqual([
      { provider: 'telegram', kind: 'dm', id: '4242', label: null, origin: 'setup' },
    ]);

    // The gateway's config watcher picks the owner up: their next message is the owner's.
    await waitFor('the owner in force', async () => {
      const next = await h.gateway.inbound.handleInbound(dm('4242', 'hi, it is me'));
      return next?.action === 'deliver' && next.trust === 'owner';
    });

    // Someone else sending the same code later is a stranger like any other.
    const late = await h.gateway.inbound.handleInbound(dm('666', code));
    expect(late).toMatchObject({ action: 'pairing-reply' });
    expect(JSON5.parse(readFileSync(join(dir, 'clawdbot.json'), 'utf8'))).toMatchObject({
      owner: { telegram: ['4242'] },
    });
  });

  it('is ignored when expired, quoted in a longer message, or sent in a group', async () => {
    const dir = stateDir();
    writeConfig(dir, {});
    let now = Date.now();
    const h = harness(dir, { now: () => now });
    const claims = createOwnerClaimsRepo(h.db);
    const { code } = claims.create(now);
    const quoted = await h.gateway.inbound.handleInbound(dm('1', `my code is ${code}`));
    expect(quoted?.action).toBe('pairing-reply');
    const inGroup = await h.gateway.inbound.handleInbound(
      dm('2', code, { chatKind: 'group', chatId: '-100' }),
    );
    expect(inGroup?.action).not.toBe('owner-claimed');
    now += 16 * 60 * 1000;
    const expired = await h.gateway.inbound.handleInbound(dm('3', code));
    expect(expired?.action).toBe('pairing-reply');
    expect(claims.latest()?.claimedAt).toBeNull();
  });
});
