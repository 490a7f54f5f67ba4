import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_FIRST_MESSAGE_LENGTH,
  PAIRING_ALPHABET,
  PAIRING_TTL_MS,
} from '../../src-shared/domain/access.js';
import { createAccessStore, type AccessStore } from '../../src-main/access/access-store.js';
import { importLegacyStores } from '../../src-main/access/legacy-import.js';
import { generatePairingCode } from '../../src-main/access/pairing-code.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { dm, useGatewayHarness } from '../helpers/gateway-harness.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

describe('pairing', () => {
  const stateDir = useTempStateDirs();
  const harness = useGatewayHarness();
  const dbs: Database[] = [];
  afterEach(() => dbs.splice(0).forEach((db) => db.close()));

  function service(options: { now?: () => number; random?: (max: number) => number } = {}): {
    pairing: PairingService;
    store: AccessStore;
    dir: string;
  } {
    const dir = stateDir();
    const db = openDatabase(dir);
    dbs.push(db);
    const store = createAccessStore(db);
    return { pairing: new PairingService(store, options), store, dir };
  }

  it('draws 8-character codes from the unambiguous alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generatePairingCode();
      expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
      seen.add(code);
    }
    expect(seen.size).toBe(2000);
    expect(PAIRING_ALPHABET).not.toMatch(/[01IO]/);
    // Every character of the alphabet is reachable.
    const chars = new Set([...Array.from(seen).join('')]);
    expect(chars.size).toBe(PAIRING_ALPHABET.length);
  });

  it("keeps the stranger's first message (cut to a readable length) and handle with the request", () => {
    const { pairing, store } = service();
    const long = `hello ${'x'.repeat(MAX_FIRST_MESSAGE_LENGTH * 3)}`;
    const created = pairing.onStranger('telegram', 'a', 'Ann', {
      handle: '@ann',
      firstMessage: long,
    });
    expect(created.kind).toBe('created');
    const [request] = pairing.list('telegram');
    expect(request?.handle).toBe('@ann');
    expect(request?.firstMessage).toHaveLength(MAX_FIRST_MESSAGE_LENGTH);
    expect(request?.firstMessage?.startsWith('hello xxx')).toBe(true);
    expect(request?.firstMessage?.endsWith('…')).toBe(true);
    // Writing again keeps the first message.
    pairing.onStranger('telegram', 'a', 'Ann', { handle: '@ann', firstMessage: 'later' });
    expect(pairing.list('telegram')[0]?.firstMessage).toBe(request?.firstMessage);
    // A sender without either (a WhatsApp contact has no handle; legacy requests have neither).
    pairing.onStranger('whatsapp', '+15550001', null);
    expect(store.pairing.list('whatsapp')[0]).toMatchObject({ handle: null, firstMessage: null });
  });

  it('retries until the code is unique among pending requests', () => {
    // A rigged RNG: the first two codes collide, the third differs.
    const sequence: number[] = [
      ...Array<number>(8).fill(0),
      ...Array<number>(8).fill(0),
      ...Array<number>(8).fill(1),
    ];
    const { pairing } = service({ random: () => sequence.shift() ?? 2 });
    const a = pairing.onStranger('telegram', 'a', null);
    const b = pairing.onStranger('telegram', 'b', null);
    expect(a.kind === 'created' && a.request.code).toBe('AAAAAAAA');
    expect(b.kind === 'created' && b.request.code).toBe('BBBBBBBB');
  });

  it('keeps one code per sender, expires it after an hour, and then issues a new one', () => {
    let now = 1_000_000;
    const { pairing, store } = service({ now: () => now });
    const first = pairing.onStranger('telegram', 's', 'Sam');
    expect(first.kind).toBe('created');
    now += 10 * 60 * 1000;
    const again = pairing.onStranger('telegram', 's', 'Sam');
    expect(again).toMatchObject({
      kind: 'pending',
      request: { code: first.kind === 'created' ? first.request.code : '', lastSeenAt: now },
    });
    now += PAIRING_TTL_MS;
    expect(pairing.list()).toEqual([]);
    expect(store.audit.recent().map((a) => a.action)).toContain('pairing-expired');
    const fresh = pairing.onStranger('telegram', 's', 'Sam');
    expect(fresh.kind).toBe('created');
  });

  it('caps pending requests at 3 per provider', () => {
    const { pairing } = service();
    const outcomes = ['a', 'b', 'c', 'd'].map((s) => pairing.onStranger('telegram', s, null).kind);
    expect(outcomes).toEqual(['created', 'created', 'created', 'capped']);
    expect(pairing.onStranger('whatsapp', '+1555', null).kind).toBe('created');
    expect(pairing.list('telegram')).toHaveLength(3);
  });

  it('approves case-insensitively, adds to the allowlist, queues the notice, and audits it', () => {
    const { pairing, store } = service();
    const created = pairing.onStranger('telegram', '42', 'Ann');
    if (created.kind !== 'created') throw new Error('expected a new request');
    const approval = pairing.approve('telegram', ` ${created.request.code.toLowerCase()} `, {
      notify: true,
      actor: 'cli',
    });
    expect(approval).toMatchObject({ notified: true, request: { senderId: '42' } });
    expect(store.allowlist.list('telegram')).toMatchObject([
      { id: '42', displayName: 'Ann', approvedBy: 'cli', source: 'approved' },
    ]);
    expect(store.outbox.pending(['telegram'], 0)).toMatchObject([
      { recipientId: '42', text: expect.stringMatching(/approved/i) as unknown },
    ]);
    expect(pairing.list()).toEqual([]);
    expect(store.audit.recent().map((a) => a.action)).toEqual([
      'pairing-approved',
      'pairing-requested',
    ]);
  });

  it('refuses unknown, malformed and wrong-provider codes with a clear error', () => {
    const { pairing } = service();
    const created = pairing.onStranger('telegram', '42', null);
    if (created.kind !== 'created') throw new Error('expected a new request');
    expect(() =>
      pairing.approve('whatsapp', created.request.code, { notify: false, actor: 'cli' }),
    ).toThrow(/no pending whatsapp pairing request/);
    expect(() => pairing.approve('telegram', 'ABCDEFG', { notify: false, actor: 'cli' })).toThrow(
      /8 characters/,
    );
    expect(() => pairing.approve('telegram', 'ABCDEFG0', { notify: false, actor: 'cli' })).toThrow(
      /only A–Z/,
    );
  });

  it('rejects: the request goes, and the sender can ask again only after the TTL', () => {
    let now = 5_000_000;
    const { pairing, store } = service({ now: () => now });
    const created = pairing.onStranger('telegram', 'r', null);
    if (created.kind !== 'created') throw new Error('expected a new request');
    pairing.reject('telegram', created.request.code, { actor: 'ui' });
    expect(pairing.list()).toEqual([]);
    expect(pairing.onStranger('telegram', 'r', null).kind).toBe('rejected');
    now += PAIRING_TTL_MS + 1;
    expect(pairing.onStranger('telegram', 'r', null).kind).toBe('created');
    expect(store.audit.recent().map((a) => a.action)).toContain('pairing-rejected');
  });

  it('replies once per sender and never to history', async () => {
    const h = harness(stateDir());
    await h.gateway.inbound.handleInbound(dm('s1', 'old message', { isHistory: true }));
    expect(h.sent).toEqual([]);
    await h.gateway.inbound.handleInbound(dm('s1', 'hello'));
    await h.gateway.inbound.handleInbound(dm('s1', 'hello?'));
    await h.gateway.inbound.handleInbound(dm('s1', 'HELLO??'));
    expect(h.sent).toHaveLength(1);
    // Three more strangers: two get codes, the fourth pending one would exceed the cap.
    for (const s of ['s2', 's3', 's4']) await h.gateway.inbound.handleInbound(dm(s, 'hi'));
    expect(h.sent.map((m) => m.chatId)).toEqual(['s1', 's2', 's3']);
    expect(h.deliver).not.toHaveBeenCalled();
  });

  it('lets in a sender approved by another process before the gateway’s cache caught up', async () => {
    const dir = stateDir();
    const h = harness(dir);
    await h.gateway.inbound.handleInbound(dm('77', 'hi'));
    const code = /[A-HJ-NP-Z2-9]{8}$/.exec(h.sent[0]?.text ?? '')?.[0];
    expect(code).toBeDefined();
    // The CLI approves on its own connection; the sender writes again at once.
    const cli = openDatabase(dir);
    dbs.push(cli);
    new PairingService(createAccessStore(cli)).approve('telegram', code!, {
      notify: false,
      actor: 'cli',
    });
    const verdict = await h.gateway.inbound.handleInbound(dm('77', 'thanks!'));
    expect(verdict).toMatchObject({
      action: 'deliver',
      sessionKey: 'dm:telegram:77',
      trust: 'allowed',
    });
    expect(h.sent).toHaveLength(1);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM pairing_requests').get()).toEqual({ n: 0 });
  });

  it('imports legacy JSON stores once, skipping "*" and expired requests, and audits each', () => {
    const dir = stateDir();
    mkdirSync(join(dir, 'credentials'), { recursive: true });
    const now = Date.now();
    writeFileSync(
      join(dir, 'credentials', 'telegram-allowFrom.json'),
      JSON.stringify({ version: 1, allowFrom: ['tg:111', '222', '*'] }),
    );
    writeFileSync(
      join(dir, 'credentials', 'whatsapp-allowFrom.json'),
      JSON.stringify({ version: 1, allowFrom: ['+1 (555) 000-1111'] }),
    );
    writeFileSync(
      join(dir, 'credentials', 'telegram-pairing.json'),
      JSON.stringify({
        version: 1,
        requests: [
          {
            id: '333',
            code: 'abcdefgh',
            createdAt: new Date(now - 60_000).toISOString(),
            lastSeenAt: new Date(now - 30_000).toISOString(),
            meta: { name: 'Old Friend' },
          },
          {
            id: '444',
            code: 'ZZZZZZZZ',
            createdAt: new Date(now - 2 * PAIRING_TTL_MS).toISOString(),
            lastSeenAt: new Date(now - 2 * PAIRING_TTL_MS).toISOString(),
          },
        ],
      }),
    );
    writeFileSync(join(dir, 'credentials', 'whatsapp-pairing.json'), '{ not json');
    const db = openDatabase(dir);
    dbs.push(db);
    const store = createAccessStore(db);
    const report = importLegacyStores(store, dir, now);
    expect(
      Object.fromEntries(report.imported.map((i) => [i.file.split('/').pop(), i.entries])),
    ).toEqual({
      'telegram-allowFrom.json': 2,
      'whatsapp-allowFrom.json': 1,
      'telegram-pairing.json': 1,
    });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toContain('whatsapp-pairing.json');
    expect(
      store.allowlist
        .list('telegram')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['111', '222']);
    expect(store.allowlist.list('whatsapp').map((e) => e.id)).toEqual(['+15550001111']);
    expect(store.pairing.list('telegram')).toMatchObject([
      { senderId: '333', code: 'ABCDEFGH', displayName: 'Old Friend' },
    ]);
    expect(store.audit.recent().filter((a) => a.action === 'legacy-imported')).toHaveLength(4);
    // Once only: a second pass imports nothing, even after the entries were removed.
    store.allowlist.remove('telegram', 'dm', '111');
    expect(importLegacyStores(store, dir, now).imported).toEqual([]);
    expect(store.allowlist.has('telegram', 'dm', '111')).toBe(false);
  });
});
