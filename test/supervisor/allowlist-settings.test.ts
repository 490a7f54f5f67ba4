import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { AllowlistService } from '../../src-main/access/allowlist-service.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createContractHandlers } from '../../src-main/supervisor/contract-handlers.js';
import { createDispatch } from '../../src-main/supervisor/ipc-router.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import { useSupervisors } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** Settings' allowlist: add and label entries, and see where each came from. */
describe('allowlist entries added, labelled and traced from Settings', () => {
  const tempStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  function setup() {
    const stateDir = tempStateDir();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      "{ owner: { telegram: ['111'] }, telegram: { allowFrom: ['222'] } }",
    );
    // A friend approved through pairing by the gateway, before the supervisor opened.
    const db = openDatabase(stateDir);
    new AllowlistService(createAccessStore(db)).add('telegram', 'dm', '333', 'gateway', 'Ana');
    db.close();
    const supervisor = openSupervisor({ stateDir });
    const dispatch = createDispatch(createContractHandlers(supervisor));
    const call = async (channel: string, input: unknown) =>
      (await dispatch(channel, input, { transport: 'web' })) as Envelope<AllowlistOverview>;
    return { call };
  }

  const telegram = (overview: AllowlistOverview) =>
    overview.providers.find((p) => p.provider === 'telegram')?.entries ?? [];

  it('tells each entry’s origin, and keeps labels across a restart of the view', async () => {
    const { call } = setup();
    const added = await call('allowlist:add', {
      provider: 'telegram',
      kind: 'dm',
      id: '444',
      label: 'Mum',
    });
    if (!added.ok) throw new Error(added.error.message);
    const labelled = await call('allowlist:label', {
      provider: 'telegram',
      kind: 'dm',
      id: '222',
      label: 'Work phone',
    });
    if (!labelled.ok) throw new Error(labelled.error.message);
    const listed = await call('allowlist:list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const byId = Object.fromEntries(
      telegram(listed.value).map((e) => [e.id, { origin: e.origin, label: e.label }]),
    );
    expect(byId).toEqual({
      '111': { origin: 'config', label: null },
      '222': { origin: 'config', label: 'Work phone' },
      '333': { origin: 'pairing', label: null },
      '444': { origin: 'manual', label: 'Mum' },
    });
  });

  it('refuses a label for someone on no allowlist, and forgets the note of a removed entry', async () => {
    const { call } = setup();
    const stranger = await call('allowlist:label', {
      provider: 'telegram',
      kind: 'dm',
      id: '999',
      label: 'who?',
    });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await call('allowlist:add', { provider: 'telegram', kind: 'dm', id: '444', label: 'Mum' });
    await call('allowlist:remove', { provider: 'telegram', kind: 'dm', id: '444' });
    // Added again: a new manual entry, the removed one's label gone with it.
    await call('allowlist:add', { provider: 'telegram', kind: 'dm', id: '444' });
    const listed = await call('allowlist:list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    expect(telegram(listed.value).find((e) => e.id === '444')).toMatchObject({
      origin: 'manual',
      label: null,
    });
    const tooLong = await call('allowlist:add', {
      provider: 'telegram',
      kind: 'dm',
      id: '555',
      label: 'x'.repeat(101),
    });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (tooLong.ok) throw new Error('accepted');
    expect(tooLong.error.message).toMatch(/label/);
  });
});
