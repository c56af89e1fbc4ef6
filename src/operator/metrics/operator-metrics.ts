import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkQueueObserver } from "../queue/work-queue.js";

/**
 * The operator's metrics, in their own registry: controller-runtime's names and labels, so the
 * dashboards people already have for Kubernetes controllers work, plus Switchboard's own per
 * Integration. Injected where used, so tests read them.
 */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconcileTotal = new Counter({
    name: "controller_runtime_reconcile_total",
    help: "Total number of reconciliations per controller",
    labelNames: ["controller", "result"] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: "controller_runtime_reconcile_errors_total",
    help: "Total number of reconciliation errors per controller",
    labelNames: ["controller"] as const,
    registers: [this.registry],
  });
  readonly reconcileTime = new Histogram({
    name: "controller_runtime_reconcile_time_seconds",
    help: "Length of time per reconciliation per controller",
    labelNames: ["controller"] as const,
    buckets: [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25,
      1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "workqueue_depth",
    help: "Current depth of workqueue",
    labelNames: ["name", "controller"] as const,
    registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: "workqueue_adds_total",
    help: "Total number of adds handled by workqueue",
    labelNames: ["name", "controller"] as const,
    registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: "workqueue_retries_total",
    help: "Total number of retries handled by workqueue",
    labelNames: ["name", "controller"] as const,
    registers: [this.registry],
  });
  readonly queueDuration = new Histogram({
    name: "workqueue_queue_duration_seconds",
    help: "How long in seconds an item stays in workqueue before being requested",
    labelNames: ["name", "controller"] as const,
    buckets: [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10],
    registers: [this.registry],
  });
  readonly leaderStatus = new Gauge({
    name: "leader_election_master_status",
    help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.",
    labelNames: ["name"] as const,
    registers: [this.registry],
  });
  readonly integrationReady = new Gauge({
    name: "switchboard_integration_ready",
    help: "Whether an Integration is Ready (1) or not (0)",
    labelNames: ["namespace", "integration", "connector"] as const,
    registers: [this.registry],
  });
  readonly integrationInfo = new Gauge({
    name: "switchboard_integration_info",
    help: "An Integration and the connector version it runs; always 1",
    labelNames: ["namespace", "integration", "connector", "version"] as const,
    registers: [this.registry],
  });

  readonly credentialChecks = new Counter({
    name: "switchboard_credential_checks_total",
    help: "Token requests the operator made to verify Credentials, by result: ok, rejected, unreachable",
    labelNames: ["namespace", "credential", "result"] as const,
    registers: [this.registry],
  });
  readonly credentialExpiry = new Gauge({
    name: "switchboard_credential_expiration_timestamp_seconds",
    help: "When a Credential expires (Unix time), where its Secret says",
    labelNames: ["namespace", "credential"] as const,
    registers: [this.registry],
  });

  constructor() {
    // process_* and nodejs_* (resident memory, heap, event loop lag), as controller-runtime serves process_* and go_*.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Feeds a controller's work queue activity into the controller-runtime metrics. */
  workQueueObserver(controller: string): WorkQueueObserver {
    const labels = { name: controller, controller };
    // Zero from the start, as controller-runtime does: a rate over a series that exists reads 0, not nothing.
    this.reconcileErrors.inc({ controller }, 0);
    this.queueDepth.set(labels, 0);
    return {
      added: () => this.queueAdds.inc(labels),
      depth: (depth) => this.queueDepth.set(labels, depth),
      retried: () => this.queueRetries.inc(labels),
      waited: (seconds) => this.queueDuration.observe(labels, seconds),
      reconciled: (_key, outcome, seconds) => {
        this.reconcileTotal.inc({ controller, result: outcome });
        this.reconcileTime.observe({ controller }, seconds);
        if (outcome === "error") this.reconcileErrors.inc({ controller });
      },
    };
  }

  readonly #integrationLabels = new Map<string, { connector: string; version: string }>();

  /** Records an Integration's readiness and version; `undefined` removes its series when it is gone. */
  setIntegration(
    namespace: string,
    integration: string,
    state: { connector: string; version: string; ready: boolean } | undefined,
  ): void {
    const key = `${namespace}/${integration}`;
    const previous = this.#integrationLabels.get(key);
    if (
      previous &&
      (previous.connector !== state?.connector || previous.version !== state.version || !state)
    ) {
      this.integrationReady.remove({ namespace, integration, connector: previous.connector });
      this.integrationInfo.remove({ namespace, integration, ...previous });
    }
    if (!state) {
      this.#integrationLabels.delete(key);
      return;
    }
    this.#integrationLabels.set(key, { connector: state.connector, version: state.version });
    this.integrationReady.set({ namespace, integration, connector: state.connector }, state.ready ? 1 : 0);
    this.integrationInfo.set(
      { namespace, integration, connector: state.connector, version: state.version },
      1,
    );
  }
}
