import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The runtime's Prometheus metrics, in its own registry, every series labelled with the namespace,
 * integration and connector. Label values are bounded: event types outside the connector's list are
 * `other`, reasons and outcomes are fixed sets, flows and actions come from the spec.
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly #labels: { namespace: string; integration: string; connector: string };
  readonly #knownEventTypes: Set<string>;

  readonly requests = new Counter({
    name: "switchboard_runtime_http_requests_total",
    help: "HTTP requests to the runtime, by route and status code",
    labelNames: ["namespace", "integration", "connector", "route", "code"] as const,
    registers: [this.registry],
  });
  readonly eventsReceived = new Counter({
    name: "switchboard_runtime_events_received_total",
    help: "Events received, verified and journaled, by event type",
    labelNames: ["namespace", "integration", "connector", "event_type"] as const,
    registers: [this.registry],
  });
  readonly eventsRejected = new Counter({
    name: "switchboard_runtime_events_rejected_total",
    help: "Deliveries refused, by reason (bad-signature, stale-timestamp, malformed, schema, body-too-large, journal-full, ...)",
    labelNames: ["namespace", "integration", "connector", "reason"] as const,
    registers: [this.registry],
  });
  readonly eventsDuplicate = new Counter({
    name: "switchboard_runtime_events_duplicate_total",
    help: "Events dropped as duplicates or replays of a delivery id seen within the replay window",
    labelNames: ["namespace", "integration", "connector"] as const,
    registers: [this.registry],
  });
  readonly eventsUnrouted = new Counter({
    name: "switchboard_runtime_events_unrouted_total",
    help: "Events no flow matched",
    labelNames: ["namespace", "integration", "connector", "event_type"] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: "switchboard_runtime_deliveries_total",
    help: "Delivery attempts by flow and outcome (delivered, filtered, retry, waiting, dead, dropped)",
    labelNames: ["namespace", "integration", "connector", "flow", "outcome"] as const,
    registers: [this.registry],
  });
  readonly deliveryDuration = new Histogram({
    name: "switchboard_runtime_delivery_duration_seconds",
    help: "Time of one delivery attempt, transform and call included",
    labelNames: ["namespace", "integration", "connector", "flow"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly actionCalls = new Counter({
    name: "switchboard_runtime_action_calls_total",
    help: "Action API calls by action and outcome (success, client-error, vendor-error)",
    labelNames: ["namespace", "integration", "connector", "action", "outcome"] as const,
    registers: [this.registry],
  });
  readonly journalEntries = new Gauge({
    name: "switchboard_runtime_journal_entries",
    help: "Journal entries by state (pending, in-flight, retry-scheduled, dead)",
    labelNames: ["namespace", "integration", "connector", "state"] as const,
    registers: [this.registry],
  });
  readonly circuitState = new Gauge({
    name: "switchboard_runtime_circuit_state",
    help: "Circuit breaker state per host: 0 closed, 1 half-open, 2 open",
    labelNames: ["namespace", "integration", "connector", "host"] as const,
    registers: [this.registry],
  });
  readonly tokenRequests = new Counter({
    name: "switchboard_runtime_token_requests_total",
    help: "Token requests (OAuth 2.0, service-account assertions) by auth scheme and result (ok, error)",
    labelNames: ["namespace", "integration", "connector", "scheme", "result"] as const,
    registers: [this.registry],
  });
  readonly rateLimitWait = new Histogram({
    name: "switchboard_runtime_rate_limit_wait_seconds",
    help: "Time calls waited for the vendor's rate limit",
    labelNames: ["namespace", "integration", "connector"] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });

  constructor(
    labels: { namespace: string; integration: string; connector: string },
    eventTypes: readonly string[],
  ) {
    this.#labels = labels;
    this.#knownEventTypes = new Set(eventTypes);
    collectDefaultMetrics({ register: this.registry });
  }

  get labels(): { namespace: string; integration: string; connector: string } {
    return this.#labels;
  }

  eventType(type: string): string {
    return this.#knownEventTypes.has(type) ? type : "other";
  }
}
