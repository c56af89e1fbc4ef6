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
      claim: prepare(
        "UPDATE deliveries SET state = 1, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?",
      ),
      done: prepare(
        "UPDATE deliveries SET state = 2, attempts = attempts + 1, last_error = NULL WHERE id = ?",
      ),
      retry: prepare(
        "UPDATE deliveries SET state = 3, attempts = attempts + ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
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
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#batch;
    this.#batch = [];
    const now = this.#now();
    try {
      this.#db.exec("BEGIN IMMEDIATE");
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
      for (const entry of batch) {
        this.#undelivered -= entry.deliveries.length;
        for (const id of entry.deliveryIds) this.#seen.delete(id);
        entry.reject(error);
      }
      return;
    }
    for (const entry of batch) entry.resolve();
  }

  /** Takes up to `limit` due deliveries and marks them in flight. */
  claim(limit: number): Delivery[] {
    const now = this.#now();
    const rows = this.#statements.due?.all(now, limit) as unknown as Row[];
    if (rows.length === 0) return [];
    this.#db.exec("BEGIN");
    for (const row of rows) this.#statements.claim?.run(now, row.id);
    this.#db.exec("COMMIT");
    return rows.map((row) => ({ ...toDelivery(row), state: DeliveryState.InFlight }));
  }

  complete(id: number): void {
    this.#statements.done?.run(id);
    this.#undelivered--;
  }

  /** Schedules another attempt. `countAttempt: false` for waits that were no attempt (an open circuit). */
  scheduleRetry(id: number, at: number, error: string, countAttempt = true): void {
    this.#statements.retry?.run(countAttempt ? 1 : 0, at, error, id);
  }

  deadLetter(id: number, error: string): void {
    this.#statements.dead?.run(error, id);
  }

  get(id: number): Delivery | undefined {
    const row = this.#statements.get?.get(id) as Row | undefined;
    return row ? toDelivery(row) : undefined;
  }

  deadLetters(limit = 100, offset = 0): Delivery[] {
    return (this.#statements.listDead?.all(limit, offset) as unknown as Row[]).map(toDelivery);
  }

  /** A dead letter back to pending, its attempts reset. False when there is no such dead letter. */
  replay(id: number): boolean {
    return Number(this.#statements.replay?.run(this.#now(), id).changes) > 0;
  }

  discard(id: number): boolean {
    const removed = Number(this.#statements.discard?.run(id).changes) > 0;
    if (removed) this.#undelivered--;
    return removed;
  }

  /** Removes delivered entries and delivery ids older than the replay window. */
  compact(): number {
    const removed = Number(this.#statements.compact?.run().changes);
    const before = this.#now() - this.#replayWindowMs;
    this.#statements.forget?.run(before);
    for (const [id, at] of this.#seen) if (at < before) this.#seen.delete(id);
    this.#db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    return removed;
  }

  /** Entries by state, for metrics and the admin API. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = Object.fromEntries(
      Object.values(deliveryStateNames).map((name) => [name, 0]),
    );
    for (const row of this.#statements.counts?.all() as { state: DeliveryState; n: number }[])
      counts[deliveryStateNames[row.state]] = row.n;
    return counts;
  }

  /** Waits for pending appends, then closes the database. */
  async close(): Promise<void> {
    while (this.#batch.length > 0 || this.#flushScheduled) await new Promise((r) => setImmediate(r));
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
