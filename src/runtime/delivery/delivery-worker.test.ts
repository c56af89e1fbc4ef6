import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { circuitBreaker, ConsecutiveBreaker, handleAll } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import type { VendorServer } from "../../../test/support/vendor-server.js";
import { startVendorServer } from "../../../test/support/vendor-server.js";
import type { ConnectorSpec, IntegrationSpec } from "../../api/types.js";
import { ActionExecutor } from "../actions/action-executor.js";
import { compileFlows } from "../flows/compile-flows.js";
import { Journal } from "../journal/journal.js";
import { HttpClient } from "../outbound/http-client.js";
import { VendorRateLimiter } from "../outbound/rate-limiter.js";
import type { DeliveryOutcome } from "./delivery-worker.js";
import { DeliveryWorker } from "./delivery-worker.js";
import { flowTargets } from "./flow-targets.js";

const connector = (baseURL: string): ConnectorSpec => ({
  displayName: "Tickets",
  category: "itops",
  version: "1.0.0",
  baseURL,
  auth: [{ name: "token", type: "bearer" }],
  actions: [
    {
      name: "add-note",
      method: "POST",
      path: "/tickets/{input.ticket}/notes",
      body: "{ 'text': text }",
      idempotencyKeyHeader: "Idempotency-Key",
      inputSchema: { type: "object", required: ["ticket", "text"] },
    },
  ],
});
const spec: IntegrationSpec = {
  connectorRef: { name: "tickets" },
  flows: [
    {
      name: "notes",
      events: ["ticket.*"],
      transform: "{ 'ticket': ticket.id, 'text': 'closed by ' & ticket.by }",
      target: { action: "add-note" },
    },
  ],
};

describe("the delivery worker against a vendor over HTTP", () => {
  let vendor: VendorServer;
  let dir: string;
  let journal: Journal;
  let worker: DeliveryWorker;
  let http: HttpClient;
  let breakers: Map<string, CircuitBreakerPolicy>;
  let outcomes: DeliveryOutcome[];
  let limiter: VendorRateLimiter | undefined;

  const start = (
    options: {
      maxAttempts?: number;
      breakAfter?: number;
      rate?: { requests: number; periodMs: number; burst: number };
      spec?: IntegrationSpec;
    } = {},
  ) => {
    http = new HttpClient({ hosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true });
    breakers = new Map();
    const breakerFor = (host: string) => {
      let breaker = breakers.get(host);
      if (!breaker) {
        breaker = circuitBreaker(handleAll, {
          halfOpenAfter: 300,
          breaker: new ConsecutiveBreaker(options.breakAfter ?? 1000),
        });
        breakers.set(host, breaker);
      }
      return breaker;
    };
    limiter = options.rate ? new VendorRateLimiter(options.rate) : undefined;
    const actions = new ActionExecutor({
      connector: connector(vendor.url),
      config: {},
      http,
      signers: new Map([
        ["token", { authenticate: (r) => Promise.resolve(void (r.headers.authorization = "Bearer t0ken")) }],
      ]),
      limiters: limiter ? [limiter] : [],
      breakerFor,
      timeoutMs: 1_000,
    });
    const flows = compileFlows(options.spec ?? spec, connector(vendor.url), {
      namespace: "default",
      integration: "tickets",
      webhookURL: "http://tickets.default.svc/webhook",
      config: {},
    });
    outcomes = [];
    worker = new DeliveryWorker({
      journal,
      flows: new Map(flows.map((f) => [f.name, f])),
      targets: flowTargets({
        actions,
        http,
        breakerFor,
        timeoutMs: 1_000,
        sinkSecrets: new Map(),
        callIntegration: () => Promise.reject(new Error("not used")),
      }),
      policy: {
        maxAttempts: options.maxAttempts ?? 5,
        backoff: { initialMs: 20, maxMs: 200, multiplier: 2, jitter: 0 },
        maxDurationMs: 60_000,
        circuitWaitMs: 300,
        deadLetters: true,
      },
      pollMs: 20,
      onOutcome: (_flow, outcome) => outcomes.push(outcome),
      log: pino({ level: "silent" }),
    });
    worker.start();
  };
  const journalEvents = (count: number, from = 0) =>
    journal.append(
      [...Array(count).keys()].map((i) => ({
        flow: "notes",
        eventType: "ticket.closed",
        deliveryId: `d-${from + i}`,
        payload: JSON.stringify({ ticket: { id: `T-${from + i}`, by: "ana" } }),
        meta: {},
      })),
    );

  beforeEach(async () => {
    vendor = await startVendorServer();
    dir = await mkdtemp(join(tmpdir(), "switchboard-delivery-"));
    journal = new Journal({ path: join(dir, "journal.db") });
  });
  afterEach(async () => {
    await worker.stop();
    await limiter?.stop();
    await http.close();
    await journal.close();
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers through the action: templated path, mapped body, bearer auth, the idempotency key", async () => {
    start();
    await journalEvents(1);
    worker.wake();
    await eventually(() => expect(journal.counts().done).toBe(1));
    expect(vendor.requests[0]).toMatchObject({
      method: "POST",
      url: "/tickets/T-0/notes",
      body: '{"text":"closed by ana"}',
    });
    expect(vendor.requests[0]?.headers).toMatchObject({
      authorization: "Bearer t0ken",
      "idempotency-key": "d-0:notes",
    });
  });

  it("retries 5xx bursts and dropped connections with backoff; the vendor accepts each event once", async () => {
    start();
    let calls = 0;
    vendor.behave(() => (++calls <= 2 ? { status: 503 } : calls === 3 ? "hang-up" : undefined));
    await journalEvents(1);
    await eventually(() => expect(journal.counts().done).toBe(1));
    expect(vendor.requests).toHaveLength(4);
    expect(new Set(vendor.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set(["d-0:notes"]));
    expect(outcomes).toEqual(["retry", "retry", "retry", "delivered"]);
  });

  it("honours 429 Retry-After", async () => {
    start();
    let calls = 0;
    vendor.behave(() => (++calls === 1 ? { status: 429, headers: { "retry-after": "1" } } : undefined));
    await journalEvents(1);
    await eventually(() => expect(journal.counts().done).toBe(1), 5_000);
    const [first, second] = vendor.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("makes a dead letter of what no retry can fix, with the vendor's answer; a replay delivers it", async () => {
    start();
    vendor.behave(() => ({ status: 422, body: { error: "ticket is archived" } }));
    await journalEvents(1);
    await eventually(() => expect(journal.deadLetters()).toHaveLength(1));
    expect(journal.deadLetters()[0]?.lastError).toBe('add-note: 422 {"error":"ticket is archived"}');
    expect(vendor.requests).toHaveLength(1);
    vendor.behave(() => undefined);
    expect(journal.replay(journal.deadLetters()[0]?.id ?? 0)).toBe(true);
    worker.wake();
    await eventually(() => expect(journal.counts()).toMatchObject({ done: 1, dead: 0 }));
  });

  it("a transform that fails as it runs makes a dead letter with JSONata's message", async () => {
    start({
      spec: {
        ...spec,
        flows: [{ ...spec.flows![0]!, transform: "ticket.id ? ticket : $error('no ticket id')" }],
      },
    });
    await journal.append([
      { flow: "notes", eventType: "ticket.closed", deliveryId: "d-x", payload: "{}", meta: {} },
    ]);
    await eventually(() => expect(journal.deadLetters()).toHaveLength(1));
    expect(journal.deadLetters()[0]?.lastError).toContain("no ticket id");
  });

  it("opens the circuit after failures in a row; events wait without using attempts, and go once it closes", async () => {
    start({ maxAttempts: 3, breakAfter: 3 });
    vendor.behave(() => ({ status: 500 }));
    await journalEvents(10);
    await eventually(() => expect(outcomes.filter((o) => o === "waiting").length).toBeGreaterThan(5));
    // Only the calls before the circuit opened (and half-open trials) reached the vendor.
    expect(vendor.requests.length).toBeLessThan(12);
    expect(journal.counts().dead).toBeLessThanOrEqual(3);
    vendor.behave(() => undefined);
    await eventually(() => {
      const counts = journal.counts();
      expect((counts.done ?? 0) + (counts.dead ?? 0)).toBe(10);
    }, 10_000);
    expect(vendor.accepted.size).toBe(journal.counts().done);
  });

  it("never exceeds the configured rate, measured at the vendor", async () => {
    start({ rate: { requests: 20, periodMs: 1_000, burst: 5 } });
    await journalEvents(40);
    await eventually(() => expect(journal.counts().done).toBe(40), 10_000);
    const times = vendor.requests.map((r) => r.at).sort((a, b) => a - b);
    // A token bucket of 5, refilled at 20 per second: over any stretch T, at most 5 + 20 x T requests.
    for (let i = 0; i < times.length; i++)
      for (let j = i; j < times.length; j++) {
        const seconds = ((times[j] ?? 0) - (times[i] ?? 0)) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(5 + Math.ceil(20 * seconds) + 1);
      }
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1_400);
  });
});
