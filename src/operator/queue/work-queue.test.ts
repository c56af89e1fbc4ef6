import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WorkQueue } from "./work-queue.js";

/** A reconcile whose calls can be finished one by one, to control interleavings. */
function controllable() {
  const calls: { key: string; finish: (error?: Error) => void }[] = [];
  const reconcile = (key: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ key, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, reconcile };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("WorkQueue (client-go's rate-limited queue semantics)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("merges adds of a key that is waiting", async () => {
    const { calls, reconcile } = controllable();
    const queue = new WorkQueue({ reconcile, workers: 1 });
    queue.add("a");
    queue.add("b");
    queue.add("b");
    queue.add("b");
    await flush();
    calls[0]?.finish();
    await flush();
    calls[1]?.finish();
    await flush();
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
  });

  it("never runs one key on two workers; an add during processing runs it once more afterwards", async () => {
    const { calls, reconcile } = controllable();
    const queue = new WorkQueue({ reconcile, workers: 4 });
    queue.add("a");
    await flush();
    queue.add("a");
    queue.add("a");
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]?.finish();
    await flush();
    expect(calls.map((c) => c.key)).toEqual(["a", "a"]);
  });

  it("runs different keys in parallel up to the number of workers", async () => {
    const { calls, reconcile } = controllable();
    const queue = new WorkQueue({ reconcile, workers: 2 });
    for (const key of ["a", "b", "c"]) queue.add(key);
    await flush();
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
    calls[0]?.finish();
    await flush();
    expect(calls.map((c) => c.key)).toEqual(["a", "b", "c"]);
  });

  it("retries a failing key with exponential backoff up to the cap, and forgets the failures after a success", async () => {
    const { calls, reconcile } = controllable();
    const queue = new WorkQueue({ reconcile, workers: 1, backoff: { baseMs: 100, maxMs: 250 } });
    queue.add("a");
    await flush();
    for (const [attempt, delay] of [100, 200, 250, 250].entries()) {
      calls[attempt]?.finish(new Error("boom"));
      await flush();
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(calls, `retry ${attempt + 1} not before ${delay} ms`).toHaveLength(attempt + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls, `retry ${attempt + 1} at ${delay} ms`).toHaveLength(attempt + 2);
    }
    calls[4]?.finish();
    await flush();
    queue.add("a");
    await flush();
    calls[5]?.finish(new Error("again"));
    await flush();
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(7);
  });

  it("backs off 5ms, 10ms, 20ms... by default, like client-go", async () => {
    let count = 0;
    const queue = new WorkQueue({ reconcile: () => Promise.reject(new Error(String(++count))), workers: 1 });
    queue.add("a");
    await flush();
    expect(count).toBe(1);
    await vi.advanceTimersByTimeAsync(4);
    expect(count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(count).toBe(2);
    await vi.advanceTimersByTimeAsync(9);
    expect(count).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(count).toBe(3);
    await queue.shutdown();
  });

  it("honours requeueAfter from a successful reconcile", async () => {
    let count = 0;
    const queue = new WorkQueue({
      reconcile: () => {
        count++;
        return Promise.resolve({ requeueAfterMs: 30_000 });
      },
    });
    queue.add("a");
    await flush();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(count).toBe(2);
    await queue.shutdown();
  });

  it("shutdown stops intake, drops delayed work, and waits for in-flight reconciles", async () => {
    const { calls, reconcile } = controllable();
    const queue = new WorkQueue({ reconcile, workers: 1 });
    queue.add("a");
    queue.add("b");
    await flush();
    let done = false;
    const stopped = queue.shutdown().then(() => (done = true));
    queue.add("c");
    await flush();
    expect(done).toBe(false);
    calls[0]?.finish();
    await stopped;
    expect(calls.map((c) => c.key)).toEqual(["a"]);
  });

  it("reports adds, depth, retries and outcomes to its observer", async () => {
    const seen: string[] = [];
    const queue = new WorkQueue({
      reconcile: (key) => (key === "bad" ? Promise.reject(new Error("x")) : Promise.resolve()),
      workers: 1,
      observer: {
        added: (k) => seen.push(`added ${k}`),
        retried: (k) => seen.push(`retried ${k}`),
        reconciled: (k, outcome) => seen.push(`${outcome} ${k}`),
      },
    });
    queue.add("good");
    queue.add("bad");
    await flush();
    await flush();
    await queue.shutdown();
    expect(seen).toEqual(["added good", "added bad", "success good", "error bad", "retried bad"]);
  });
});
