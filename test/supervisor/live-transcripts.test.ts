import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { AllowlistService } from '../../src-main/access/allowlist-service.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { createContractHandlers } from '../../src-main/supervisor/contract-handlers.js';
import { createDispatch } from '../../src-main/supervisor/ipc-router.js';
import { useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

/** Longer than any test: a transcript that shows up live did not wait for a poll. */
const NO_POLL_MS = 3_600_000;

describe('live transcripts reach the views from every writer', () => {
  const stateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();
  let subscriptions = new AbortController();
  afterEach(() => {
    subscriptions.abort();
    subscriptions = new AbortController();
  });
  const liveEvents = (supervisor: ReturnType<typeof openSupervisor>): TranscriptEvent[] => {
    const seen: TranscriptEvent[] = [];
    supervisor.events.on('session:event', (event) => seen.push(event), subscriptions.signal);
    return seen;
  };

  it('an allowlist removal made here: its transcript note is pushed though no handler asks', async () => {
    const dir = stateDir();
    const db = openDatabase(dir);
    createSessionsRepo(db).upsert(
      {
        key: 'dm:telegram:123',
        provider: 'telegram',
        chatKind: 'dm',
        peerId: '123',
        title: 'Friend',
        trust: 'allowed',
        toolsRunIn: 'sandbox',
      },
      1,
    );
    new AllowlistService(createAccessStore(db)).add('telegram', 'dm', '123', 'cli');
    db.close();
    const supervisor = openSupervisor({ stateDir: dir, watchIntervalMs: NO_POLL_MS });
    const seen = liveEvents(supervisor);
    const dispatch = createDispatch(createContractHandlers(supervisor));

    const reply = await dispatch(
      'allowlist:remove',
      { provider: 'telegram', kind: 'dm', id: '123' },
      { transport: 'web' },
    );
    expect(reply.ok).toBe(true);
    // Written on the supervisor's own connection, where data_version never moves.
    const note = await waitFor('the removal in the live transcript', () =>
      seen.find((event) => event.kind === 'access'),
    );
    expect(note).toMatchObject({
      sessionKey: 'dm:telegram:123',
      text: 'Removed from the telegram DM allowlist (ui); later messages are blocked',
    });
    expect(seen).toHaveLength(1);
  });

  it('the gateway’s transcript: pushed at its payload-free notice, before any poll', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir(), watchIntervalMs: NO_POLL_MS });
    const seen = liveEvents(supervisor);
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    supervisor.relay.consoleSend('is anyone recording this?');
    const line = await waitFor('the owner’s line in the live transcript', () =>
      seen.find((event) => event.text === 'is anyone recording this?'),
    );
    expect(line).toMatchObject({ sessionKey: 'main', kind: 'inbound' });
    // Each stored event once, in the order it was stored.
    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });
});
