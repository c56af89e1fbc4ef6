import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewDelivery } from "./journal.js";
import { Journal, JournalFullError } from "./journal.js";

const delivery = (n: number, flow = "to-sink"): NewDelivery => ({
  flow,
  eventType: "issues.opened",
  deliveryId: `d-${n}`,
  payload: JSON.stringify({ n }),
  meta: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
});

describe("the journal", () => {
  let dir: string;
  let clock = 1_000_000;
  const now = () => clock;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-journal-"));
    clock = 1_000_000;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const open = (options: Partial<ConstructorParameters<typeof Journal>[0]> = {}) =>
    new Journal({ path: join(dir, "journal.db"), now, ...options });

  it("keeps what it acknowledged across a reopen, and makes in-flight work pending again", async () => {
    const journal = open();
    await Promise.all([1, 2, 3].map((n) => journal.append([delivery(n)], [`d-${n}`])));
    const claimed = journal.claim(2);
    expect(claimed.map((d) => JSON.parse(d.payload) as { n: number })).toEqual([{ n: 1 }, { n: 2 }]);
    journal.complete(claimed[0]?.id ?? 0);
    await new Promise((resolve) => setImmediate(resolve)); // the settlement is written with the next turn
    // No close: the process dies with delivery 2 in flight.
    const reopened = open();
    expect(reopened.counts()).toMatchObject({ pending: 2, "in-flight": 0, done: 1 });
    expect(reopened.claim(10).map((d) => d.deliveryId)).toEqual(["d-2", "d-3"]);
    expect(reopened.seen("d-1")).toBe(true);
    expect(reopened.undelivered).toBe(2);
    await reopened.close();
    await journal.close();
  });

  it("group-commits the appends of one turn and resolves each only after the commit", async () => {
    const journal = open();
    const appends = [...Array(500).keys()].map((n) => journal.append([delivery(n)]));
    const reader = new DatabaseSync(join(dir, "journal.db"));
    const rows = () => (reader.prepare("SELECT COUNT(*) AS n FROM deliveries").get() as { n: number }).n;
    expect(rows()).toBe(0); // nothing is written before the turn ends
    await Promise.all(appends);
    expect(rows()).toBe(500);
    reader.close();
    await journal.close();
  });

  it("schedules retries, keeps dead letters with their error, and replays or discards them", async () => {
    const journal = open();
    await journal.append([delivery(1), delivery(2)]);
    const [first, second] = journal.claim(10);
    journal.scheduleRetry(first?.id ?? 0, clock + 5_000, "503 from the vendor");
    journal.deadLetter(second?.id ?? 0, "400: invalid input");
    expect(journal.claim(10)).toEqual([]);
    clock += 5_000;
    const [again] = journal.claim(10);
    expect(again).toMatchObject({ id: first?.id, attempts: 1, lastError: "503 from the vendor" });
    journal.scheduleRetry(again?.id ?? 0, clock + 1_000, "circuit open", false);
    expect(journal.get(again?.id ?? 0)?.attempts).toBe(1);

    expect(journal.deadLetters().map((d) => [d.id, d.lastError])).toEqual([
      [second?.id, "400: invalid input"],
    ]);
    expect(journal.replay(second?.id ?? 0)).toBe(true);
    expect(journal.replay(second?.id ?? 0)).toBe(false);
    const [replayed] = journal.claim(10);
    expect(replayed).toMatchObject({ id: second?.id, attempts: 0 });
    journal.deadLetter(replayed?.id ?? 0, "400 again");
    expect(journal.discard(replayed?.id ?? 0)).toBe(true);
    expect(journal.deadLetters()).toEqual([]);
    await journal.close();
  });

  it("refuses appends beyond its capacity instead of dropping anything, and takes them again once delivered", async () => {
    const journal = open({ capacity: 3 });
    await journal.append([delivery(1), delivery(2), delivery(3)]);
    await expect(journal.append([delivery(4)])).rejects.toBeInstanceOf(JournalFullError);
    const [done] = journal.claim(1);
    journal.complete(done?.id ?? 0);
    await journal.append([delivery(4)]);
    expect(journal.undelivered).toBe(3);
    await journal.close();
  });

  it("compacts delivered entries and forgets delivery ids older than the replay window", async () => {
    const journal = open({ replayWindowMs: 60_000 });
    await journal.append([delivery(1), delivery(2)], ["d-1", "d-2"]);
    for (const d of journal.claim(1)) journal.complete(d.id);
    expect(journal.compact()).toBe(1);
    expect(journal.counts()).toMatchObject({ pending: 1, done: 0 });
    expect(journal.seen("d-1")).toBe(true);
    clock += 61_000;
    journal.compact();
    expect(journal.seen("d-1")).toBe(false);
    await journal.close();
  });
});
