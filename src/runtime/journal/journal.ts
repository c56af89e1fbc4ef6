import { DatabaseSync } from "node:sqlite";
import type { StatementSync } from "node:sqlite";

/** Where a delivery stands. In flight at a crash means pending again at the next start. */
export const DeliveryState = { Pending: 0, InFlight: 1, Done: 2, RetryScheduled: 3, Dead: 4 } as const;
export type DeliveryState = (typeof DeliveryState)[keyof typeof DeliveryState];
export const deliveryStateNames: Record<DeliveryState, string> = {
  0: "pending",
  1: "in-flight",
  2: "done",
  3: "retry-scheduled",
  4: "dead",
};

/** One event on its way to one flow's target. */
export interface NewDelivery {
  flow: string;
  eventType: string;
  /** The sender's delivery id, when it gave one. */
  deliveryId: string | undefined;
  /** The event as JSON text. */
  payload: string;
  /** What the delivery needs besides the payload: trace context, the sender's content type. */
  meta: Record<string, string>;
}

export interface Delivery extends NewDelivery {
  id: number;
  state: DeliveryState;
  attempts: number;
  receivedAt: number;
  firstAttemptAt: number | undefined;
  nextAttemptAt: number;
  lastError: string | undefined;
}

export class JournalFullError extends Error {
  constructor(readonly capacity: number) {
    super(`the journal holds ${capacity} undelivered events, its limit; try again later`);
    this.name = "JournalFullError";
  }
}

export interface JournalOptions {
  /** The database file; `:memory:` for tests that need no durability. */
  path: string;
  /** Undelivered entries (not done, dead letters included) beyond which appends are refused. @default 100000 */
  capacity?: number;
  /** How long a sender's delivery id is remembered for duplicate detection. @default 600000 (10 minutes) */
  replayWindowMs?: number;
  now?: () => number;
}

interface Row {
  id: number;
  flow: string;
  event_type: string;
  delivery_id: string | null;
  payload: string;
  meta: string;
  state: number;
  attempts: number;
  received_at: number;
  first_attempt_at: number | null;
  next_attempt_at: number;
  last_error: string | null;
}

/**
 * The runtime's durable journal, in Node's built-in SQLite (no native addon) in WAL mode with full
 * synchronous commits: an event is acknowledged to its sender only after the transaction holding it
 * is on disk. Appends are group-committed: the appends of one event loop turn share a transaction
 * and an fsync, which is what makes durable receiving fast.
 */
export class Journal {
  readonly #db: DatabaseSync;
  readonly #capacity: number;
  readonly #replayWindowMs: number;
  readonly #now: () => number;
  readonly #statements: Record<string, StatementSync>;
  readonly #seen = new Map<string, number>();
  #undelivered: number;
  #batch: {
    deliveries: NewDelivery[];
    deliveryIds: string[];
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];
  #flushScheduled = false;
  /** Deliveries handed out and not yet settled: in memory only, so a restart makes them pending again. */
  readonly #inFlight = new Map<number, number>();
  /** Settlements (done, retry, dead) not yet written: they share the next transaction with appends. */
  #settlements: { id: number; write: () => void }[] = [];

  constructor(options: JournalOptions) {
    this.#capacity = options.capacity ?? 100_000;
    this.#replayWindowMs = options.replayWindowMs ?? 600_000;
    this.#now = options.now ?? Date.now;
    this.#db = new DatabaseSync(options.path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flow TEXT NOT NULL,
        event_type TEXT NOT NULL,
        delivery_id TEXT,
        payload TEXT NOT NULL,
        meta TEXT NOT NULL,
        state INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL,
        first_attempt_at INTEGER,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT
      );
      CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
      CREATE TABLE IF NOT EXISTS seen (delivery_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
    `);
    const prepare = (sql: string) => this.#db.prepare(sql);
    this.#statements = {
      insert: prepare(
        "INSERT INTO deliveries (flow, event_type, delivery_id, payload, meta, state, received_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
      ),
      remember: prepare("INSERT OR REPLACE INTO seen (delivery_id, at) VALUES (?, ?)"),
      due: prepare(
        "SELECT * FROM deliveries WHERE state IN (0, 3) AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
      ),
      done: prepare(
        "UPDATE deliveries SET state = 2, attempts = attempts + 1, last_error = NULL WHERE id = ?",
      ),
      retry: prepare(
        "UPDATE deliveries SET state = 3, attempts = attempts + ?, next_attempt_at = ?, last_error = ?, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?",
      ),
      dead: prepare("UPDATE deliveries SET state = 4, attempts = attempts + 1, last_error = ? WHERE id = ?"),
      get: prepare("SELECT * FROM deliveries WHERE id = ?"),
      listDead: prepare("SELECT * FROM deliveries WHERE state = 4 ORDER BY id LIMIT ? OFFSET ?"),
      replay: prepare(
        "UPDATE deliveries SET state = 0, attempts = 0, first_attempt_at = NULL, next_attempt_at = ?, last_error = NULL WHERE id = ? AND state = 4",
      ),
      discard: prepare("DELETE FROM deliveries WHERE id = ? AND state = 4"),
      compact: prepare("DELETE FROM deliveries WHERE state = 2"),
      forget: prepare("DELETE FROM seen WHERE at < ?"),
      undelivered: prepare("SELECT COUNT(*) AS n FROM deliveries WHERE state <> 2"),
      counts: prepare("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state"),
    };
    // A crash leaves work in flight: it was never acknowledged as delivered, so it is due again.
    this.#db.exec("UPDATE deliveries SET state = 0 WHERE state = 1");
    this.#undelivered = Number((this.#statements.undelivered?.get() as { n: number }).n);
    const since = this.#now() - this.#replayWindowMs;
    for (const row of this.#db.prepare("SELECT delivery_id, at FROM seen WHERE at >= ?").all(since) as {
      delivery_id: string;
      at: number;
    }[])
      this.#seen.set(row.delivery_id, row.at);
  }

  /** Whether the sender's delivery id was journaled within the replay window. */
  seen(deliveryId: string): boolean {
    const at = this.#seen.get(deliveryId);
    return at !== undefined && at >= this.#now() - this.#replayWindowMs;
  }

  /** Entries not yet done (pending, in flight, scheduled, dead). */
  get undelivered(): number {
    return this.#undelivered;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Writes deliveries durably; resolves once they are on disk. Refuses with JournalFullError when the
   * journal is at capacity, so the receiver can answer 503 rather than drop anything.
   */
  append(deliveries: NewDelivery[], deliveryIds: string[] = []): Promise<void> {
    if (this.#undelivered + deliveries.length > this.#capacity)
      return Promise.reject(new JournalFullError(this.#capacity));
    this.#undelivered += deliveries.length;
    const at = this.#now();
    for (const id of deliveryIds) this.#seen.set(id, at);
    return new Promise((resolve, reject) => {
      this.#batch.push({ deliveries, deliveryIds, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  /**
   * Writes what is waiting in one transaction: new deliveries (whose appends resolve once it commits)
   * and settlements of delivered, rescheduled and dead ones. Runs once per event loop turn, and
   * before any read, so reads see every settlement.
   */
  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#batch;
    const settlements = this.#settlements;
    if (batch.length === 0 && settlements.length === 0) return;
    this.#batch = [];
    this.#settlements = [];
    const now = this.#now();
    try {
      this.#db.exec("BEGIN IMMEDIATE");
      for (const settlement of settlements) settlement.write();
      for (const { deliveries, deliveryIds } of batch) {
        for (const d of deliveries)
          this.#statements.insert?.run(
            d.flow,
            d.eventType,
            d.deliveryId ?? null,
            d.payload,
            JSON.stringify(d.meta),
            now,
            now,
          );
        for (const id of deliveryIds) this.#statements.remember?.run(id, now);
      }
      this.#db.exec("COMMIT");
    } catch (error) {
      try {
        this.#db.exec("ROLLBACK");
      } catch {
        // The transaction never began.
      }
      // Settlements that did not stick leave their deliveries pending: delivered again, never lost.
      for (const settlement of settlements) this.#inFlight.delete(settlement.id);
      for (const entry of batch) {
        this.#undelivered -= entry.deliveries.length;
        for (const id of entry.deliveryIds) this.#seen.delete(id);
        entry.reject(error);
      }
      return;
    }
    for (const settlement of settlements) this.#inFlight.delete(settlement.id);
    for (const entry of batch) entry.resolve();
  }

  /** Takes up to `limit` due deliveries that are not in flight already. Nothing is written. */
  claim(limit: number): Delivery[] {
    this.#flush();
    if (limit <= 0) return [];
    const now = this.#now();
    const rows = this.#statements.due?.all(now, limit + this.#inFlight.size) as unknown as Row[];
    const claimed: Delivery[] = [];
    for (const row of rows) {
      if (claimed.length >= limit) break;
      if (this.#inFlight.has(row.id)) continue;
      this.#inFlight.set(row.id, now);
      claimed.push({
        ...toDelivery(row),
        state: DeliveryState.InFlight,
        firstAttemptAt: row.first_attempt_at ?? now,
      });
    }
    return claimed;
  }

  #settle(id: number, write: () => void): void {
    this.#settlements.push({ id, write });
    this.#schedule();
  }

  complete(id: number): void {
    this.#undelivered--;
    this.#settle(id, () => this.#statements.done?.run(id));
  }

  /** Schedules another attempt. `countAttempt: false` for waits that were no attempt (an open circuit). */
  scheduleRetry(id: number, at: number, error: string, countAttempt = true): void {
    const firstAttempt = this.#inFlight.get(id) ?? this.#now();
    this.#settle(id, () => this.#statements.retry?.run(countAttempt ? 1 : 0, at, error, firstAttempt, id));
  }

  deadLetter(id: number, error: string): void {
    this.#settle(id, () => this.#statements.dead?.run(error, id));
  }

  get(id: number): Delivery | undefined {
    this.#flush();
    const row = this.#statements.get?.get(id) as Row | undefined;
    return row ? toDelivery(row) : undefined;
  }

  deadLetters(limit = 100, offset = 0): Delivery[] {
    this.#flush();
    return (this.#statements.listDead?.all(limit, offset) as unknown as Row[]).map(toDelivery);
  }

  /** A dead letter back to pending, its attempts reset. False when there is no such dead letter. */
  replay(id: number): boolean {
    this.#flush();
    return Number(this.#statements.replay?.run(this.#now(), id).changes) > 0;
  }

  discard(id: number): boolean {
    this.#flush();
    const removed = Number(this.#statements.discard?.run(id).changes) > 0;
    if (removed) this.#undelivered--;
    return removed;
  }

  /** Removes delivered entries and delivery ids older than the replay window. */
  compact(): number {
    this.#flush();
    const removed = Number(this.#statements.compact?.run().changes);
    const before = this.#now() - this.#replayWindowMs;
    this.#statements.forget?.run(before);
    for (const [id, at] of this.#seen) if (at < before) this.#seen.delete(id);
    this.#db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    return removed;
  }

  /** Entries by state, for metrics and the admin API. */
  counts(): Record<string, number> {
    this.#flush();
    const counts: Record<string, number> = Object.fromEntries(
      Object.values(deliveryStateNames).map((name) => [name, 0]),
    );
    for (const row of this.#statements.counts?.all() as { state: DeliveryState; n: number }[])
      counts[deliveryStateNames[row.state]] = row.n;
    // In flight is a state of this process, not of the file: those rows still read as due.
    counts["in-flight"] = this.#inFlight.size;
    counts.pending = Math.max(0, (counts.pending ?? 0) - this.#inFlight.size);
    return counts;
  }

  /** Waits for pending appends, then closes the database. */
  async close(): Promise<void> {
    while (this.#batch.length > 0 || this.#flushScheduled) await new Promise((r) => setImmediate(r));
    this.#flush();
    this.#db.close();
  }
}

function toDelivery(row: Row): Delivery {
  return {
    id: row.id,
    flow: row.flow,
    eventType: row.event_type,
    deliveryId: row.delivery_id ?? undefined,
    payload: row.payload,
    meta: JSON.parse(row.meta) as Record<string, string>,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    receivedAt: row.received_at,
    firstAttemptAt: row.first_attempt_at ?? undefined,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
  };
}
