import type {
  InboxRepo,
  InboxRow,
  InboxTransition,
  NewInboxMessage,
} from '../../../src-main/store/inbox-repo.js';

/**
 * The inbox kept in memory only: the same rows, states and de-duplication as `createInboxRepo`,
 * with nothing written anywhere. The baseline of bench/durability/inbox.ts: the same gateway with
 * this inbox shows what recording every message durably costs. (A gateway running on it would
 * lose everything a crash cut short, which is why nothing but the bench uses it.)
 */
export class MemoryInboxRepo implements InboxRepo {
  private readonly rows = new Map<number, InboxRow & { finishedAt: number | null }>();
  private readonly known = new Set<string>();
  private nextId = 1;

  record(messages: readonly NewInboxMessage[], at: number): InboxRow[] {
    const created: InboxRow[] = [];
    for (const m of messages) {
      const key = `${m.provider}\u0000${m.messageId}`;
      if (this.known.has(key)) continue;
      this.known.add(key);
      const row: InboxRow = {
        id: this.nextId++,
        envelope: m.envelope,
        state: m.claim ? 'processing' : 'received',
        attempts: m.claim ? 1 : 0,
        receivedAt: at,
        startedAt: m.claim ? at : null,
      };
      this.rows.set(row.id, { ...row, finishedAt: null });
      created.push(row);
    }
    return created;
  }

  unfinished(): InboxRow[] {
    return [...this.rows.values()].filter(
      (r) => r.state === 'received' || r.state === 'processing',
    );
  }

  transition(changes: InboxTransition, at: number): void {
    for (const id of changes.claim ?? []) {
      const row = this.rows.get(id);
      if (!row) continue;
      row.state = 'processing';
      row.attempts += 1;
      row.startedAt ??= at;
    }
    for (const { id, outcome } of changes.finish ?? []) {
      const row = this.rows.get(id);
      if (!row) continue;
      row.state = outcome;
      row.finishedAt = at;
    }
    for (const id of [...(changes.release ?? []), ...(changes.requeue ?? [])]) {
      const row = this.rows.get(id);
      if (row?.state !== 'processing') continue;
      row.state = 'received';
      if (changes.release?.includes(id)) row.attempts = Math.max(row.attempts - 1, 0);
    }
  }

  prune(before: number): number {
    let pruned = 0;
    for (const [id, row] of this.rows) {
      if (row.finishedAt !== null && row.finishedAt < before) {
        this.rows.delete(id);
        pruned++;
      }
    }
    return pruned;
  }

  /** How many messages ended in each state: the bench checks that every one finished. */
  states(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const row of this.rows.values()) counts[row.state] = (counts[row.state] ?? 0) + 1;
    return counts;
  }
}
