import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../../src-main/process/process-identity.js';
import { createRuntimeRepo } from '../../../src-main/store/runtime-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import { floodWait } from '../../fixtures/fake-telegram-api.js';
import { answerTo, markersSeen } from '../../fixtures/gated-model.js';
import { startCli } from '../../helpers/cli.js';
import { fixturesDir } from '../../helpers/paths.js';
import {
  answersTo,
  marker,
  markedDm,
  sendSentinels,
  senderId,
  useDurableChats,
  type DurableChat,
} from '../../helpers/durable-chat.js';
import { fastPolicy, useSupervisors, waitForState } from '../../helpers/supervisor.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Nothing acknowledged is lost: a burst of messages through grammY over HTTP (against the fake
 * Bot API) into the real, built gateway child, with a model (the gated scripted server) that is
 * holding turns when the gateway child or its supervisor is SIGKILLed. After the restart every
 * message is answered, exactly once, in each chat's order, and no retried turn shows the model
 * a message twice.
 */

const SENDERS = 10;
const PER_SENDER = 3;
/** Senders whose first message is answered before the kill; the rest are held from the start. */
const EARLY = 5;

const useChat = useDurableChats();

function newChat(): Promise<DurableChat> {
  return useChat({
    senders: SENDERS,
    // Early senders' first messages are answered; everything else waits for the gate.
    hold: (m) => !Array.from({ length: EARLY }, (_, k) => marker(k, 1)).includes(m),
  });
}

/** The burst: every sender's messages 1…3, interleaved across chats as people would write. */
function pushBurst(chat: DurableChat): void {
  const updates = [];
  for (let m = 1; m <= PER_SENDER; m++)
    for (let k = 0; k < SENDERS; k++) updates.push(markedDm(chat.api, k, m));
  chat.api.pushUpdates(updates);
}

/**
 * Waits until the early senders' first answers are out and the model holds a turn in every chat:
 * the early chats' second messages (asked only after the first answer's send completed) and the
 * others' first. Nothing is being sent at that moment; turns and queued messages are in flight.
 */
async function midBurst(chat: DurableChat): Promise<void> {
  await waitFor(
    'early answers out and a turn held in every chat',
    () => {
      const asked = chat.model.asked();
      return Array.from({ length: SENDERS }, (_, k) =>
        k < EARLY
          ? chat.answered(k, 1, 1) && asked.includes(marker(k, 2))
          : asked.includes(marker(k, 1)),
      ).every(Boolean);
    },
    30_000,
  );
}

/** After the restart: every message answered exactly once, in order, and never seen twice. */
async function expectEveryMessageAnsweredOnce(chat: DurableChat): Promise<void> {
  await waitFor(
    'every message of the burst answered',
    () => Array.from({ length: SENDERS }, (_, k) => chat.answered(k, 1, PER_SENDER)).every(Boolean),
    30_000,
  );
  await sendSentinels(chat, SENDERS, PER_SENDER + 1);
  for (let k = 0; k < SENDERS; k++) {
    expect(answersTo(chat, k)).toEqual(
      Array.from({ length: PER_SENDER + 1 }, (_, i) => marker(k, i + 1)),
    );
  }
  // A retried turn continues the conversation it was in: its message is in it once, not twice.
  for (const request of chat.model.server.requests) {
    const seen = markersSeen(request);
    expect(seen).toEqual([...new Set(seen)]);
  }
}

describe('crash recovery: every acknowledged message is answered once', () => {
  const openSupervisor = useSupervisors();

  /** An in-process supervisor (restarting quickly) with its real gateway child, polling. */
  async function supervised(chat: DurableChat) {
    const supervisor = openSupervisor({
      stateDir: chat.stateDir,
      env: chat.env,
      policy: fastPolicy,
    });
    supervisor.startGateway();
    const running = await waitForState(supervisor, 'running');
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    /** SIGKILLs the gateway child and waits for the supervisor to have started the next one. */
    const killGateway = async (pid: number) => {
      process.kill(pid, 'SIGKILL');
      return waitFor('a new gateway process', () => {
        const status = supervisor.manager.status();
        return status.state === 'running' && status.pid !== pid ? status.pid : null;
      });
    };
    return { pid: running.pid!, killGateway };
  }

  it('the gateway child is SIGKILLed mid-burst; its supervisor restarts it', async () => {
    const chat = await newChat();
    const gateway = await supervised(chat);
    pushBurst(chat);
    await midBurst(chat);
    await gateway.killGateway(gateway.pid);
    chat.model.open();
    await expectEveryMessageAnsweredOnce(chat);
  });

  it('the supervisor is SIGKILLed mid-burst; the next supervisor’s gateway answers', async () => {
    const chat = await newChat();
    const supervise = () =>
      startCli(['supervise'], { ...chat.env, CLAWDBOT_STATE_DIR: chat.stateDir });
    const db = openDatabase(chat.stateDir);
    const runtime = createRuntimeRepo(db);
    const gatewayPid = () => {
      const { status } = runtime.readGateway();
      return status.state === 'running' ? status.pid : null;
    };
    const first = supervise();
    try {
      const firstGateway = await waitFor('the first gateway running', gatewayPid);
      await waitFor('polling', () => chat.api.count('getUpdates') > 0);

      pushBurst(chat);
      await midBurst(chat);
      first.child.kill('SIGKILL');
      // Its gateway notices the supervisor is gone and stops on its own.
      await waitFor('the orphaned gateway gone', () => !isAlive(firstGateway), 15_000);

      const second = supervise();
      try {
        await waitFor('a new gateway running', () => {
          const pid = gatewayPid();
          return pid !== null && pid !== firstGateway;
        });
        chat.model.open();
        await expectEveryMessageAnsweredOnce(chat);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      db.close();
    }
  });

  it('a turn cut short by crashes twice is not tried a third time: its sender is told', async () => {
    const chat = await useChat({ senders: 1, hold: (m) => m === marker(0, 1) });
    const gateway = await supervised(chat);
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    const asked = () => chat.model.asked().filter((m) => m === marker(0, 1)).length;
    let pid = gateway.pid;
    for (const attempt of [1, 2]) {
      await waitFor(`turn ${attempt} in flight`, () => asked() === attempt);
      pid = await gateway.killGateway(pid);
    }
    const sender = String(senderId(0));
    await waitFor('the sender told', () => chat.api.sentTo(sender).length > 0);
    chat.model.open();
    await sendSentinels(chat, 1, 2);
    const [notice, ...rest] = chat.api.sentTo(sender);
    expect(notice).toMatch(/interrupted twice while answering your message “s0-m1: please/);
    expect(rest).toEqual([answerTo(marker(0, 2))]);
    expect(asked()).toBe(2);
  });

  it('a turn the kill switch cut is not resumed when the gateway starts again', async () => {
    const chat = await useChat({ senders: 1, hold: (m) => m === marker(0, 1) });
    const supervisor = openSupervisor({ stateDir: chat.stateDir, env: chat.env });
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the turn in flight', () => chat.model.asked().includes(marker(0, 1)));

    // Pulled because of what that turn was doing: it must not come back on its own.
    await supervisor.engageKillSwitch('the assistant misbehaved', 'ui');
    await waitForState(supervisor, 'stopped');
    chat.model.open();
    supervisor.rearm();
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    await sendSentinels(chat, 1, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 2)]);
    expect(chat.model.asked().filter((m) => m === marker(0, 1))).toHaveLength(1);
  });

  it('a reply waiting to be sent when the kill switch is pulled is never sent', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    const supervisor = openSupervisor({ stateDir: chat.stateDir, env: chat.env });
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    // Telegram asks for a long flood wait: the answer waits in the outbox for its retry.
    chat.api.failNext('sendMessage', 1, floodWait(600));
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the refused send', () => chat.api.count('sendMessage') === 1);

    await supervisor.engageKillSwitch('the assistant misbehaved', 'ui');
    await waitForState(supervisor, 'stopped');
    supervisor.rearm();
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
    await sendSentinels(chat, 1, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 2)]);
  });

  it('WhatsApp: notify upserts a SIGKILL cut short are answered after the restart, once', async () => {
    const friends = ['15550009001', '15550009002', '15550009003'];
    const chat = await useChat({
      senders: 0,
      hold: (m) => m !== marker(0, 1),
      config: { whatsapp: { enabled: true, allowFrom: friends.map((f) => `+${f}`) } },
    });
    // The socket double (test/fixtures/whatsapp-socket-e2e.mjs): linked at once, delivering what
    // appears in a directory once (as WhatsApp does after its receipt), writing down every send.
    const inboxDir = join(chat.root, 'whatsapp-inbox');
    const sentFile = join(chat.root, 'whatsapp-sent.jsonl');
    const linkFile = join(chat.root, 'whatsapp-linked');
    mkdirSync(inboxDir);
    writeFileSync(linkFile, '');
    let batches = 0;
    const deliver = (m: number, ks: number[]) => {
      const file = join(inboxDir, `${String(batches++).padStart(4, '0')}`);
      const messages = ks.map((k) => ({
        from: friends[k],
        id: `3EB0DURABLE${k}${m}`,
        text: `${marker(k, m)}: please answer this one`,
      }));
      writeFileSync(`${file}.tmp`, JSON.stringify(messages));
      renameSync(`${file}.tmp`, `${file}.json`);
    };
    const answers = (k: number): string[] =>
      (existsSync(sentFile) ? readFileSync(sentFile, 'utf8').split('\n') : [])
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { jid: string; text: string })
        .filter((sent) => sent.jid === `${friends[k]}@s.whatsapp.net`)
        .map((sent) => sent.text.replace(/^answer to /, ''));
    const all = [0, 1, 2];
    const supervisor = openSupervisor({
      stateDir: chat.stateDir,
      policy: fastPolicy,
      env: {
        ...chat.env,
        CLAWDBOT_WHATSAPP_SOCKET_MODULE: join(fixturesDir, 'whatsapp-socket-e2e.mjs'),
        CLAWDBOT_E2E_WHATSAPP_LINK_FILE: linkFile,
        CLAWDBOT_E2E_WHATSAPP_INBOX_DIR: inboxDir,
        CLAWDBOT_E2E_WHATSAPP_SENT_FILE: sentFile,
      },
    });
    supervisor.startGateway();
    const first = await waitForState(supervisor, 'running');
    for (const m of [1, 2, 3]) deliver(m, all);
    await waitFor(
      'the first answer out and a turn held in every chat',
      () => {
        const asked = chat.model.asked();
        return (
          answers(0).includes(marker(0, 1)) &&
          asked.includes(marker(0, 2)) &&
          asked.includes(marker(1, 1)) &&
          asked.includes(marker(2, 1))
        );
      },
      30_000,
    );
    process.kill(first.pid!, 'SIGKILL');
    await waitFor('a new gateway process', () => {
      const status = supervisor.manager.status();
      return status.state === 'running' && status.pid !== first.pid;
    });
    chat.model.open();
    await waitFor(
      'every message answered',
      () => all.every((k) => [1, 2, 3].every((m) => answers(k).includes(marker(k, m)))),
      30_000,
    );
    // Each chat's replies go out in order: once its sentinel is answered, a duplicate would show.
    deliver(4, all);
    await waitFor('every sentinel answered', () =>
      all.every((k) => answers(k).includes(marker(k, 4))),
    );
    for (const k of all) expect(answers(k)).toEqual([1, 2, 3, 4].map((m) => marker(k, m)));
  });
});
