import { hostname } from "node:os";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { apiVersion } from "../api/group.js";
import { Controller } from "./controller/controller.js";
import { connectorReconciler } from "./controllers/connector-controller.js";
import { EventRecorder } from "./events/event-recorder.js";
import { startHealthServer } from "./health/health-server.js";
import { Informer } from "./informer/informer.js";
import { KubeClient } from "./kube/kube-client.js";
import { LeaderElector } from "./leader/leader-election.js";
import { OperatorMetrics } from "./metrics/operator-metrics.js";

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  /** Port of /healthz, /readyz and /metrics; 0 picks a free one. @default 8080 */
  healthPort?: number;
  /** Campaign for a Lease and reconcile only while leading. @default true */
  leaderElection?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Client-side limit toward the API server. @default { qps: 50, burst: 100 } */
  rateLimit?: { qps: number; burst: number };
  /** Reconciles in parallel per controller. @default 4 */
  workers?: number;
}

/**
 * The operator process: informers fill caches (on every instance, so a standby takes over warm),
 * controllers reconcile only while this instance leads, health and metrics are served throughout, and
 * `stop` stops intake, finishes reconciles in flight and releases the lease.
 */
export class Operator {
  readonly metrics = new OperatorMetrics();
  readonly #options: OperatorOptions;
  readonly #client: KubeClient;
  readonly #informers: Informer[] = [];
  readonly #controllers: Controller[] = [];
  #elector: LeaderElector | undefined;
  #health: { port: number; close: () => Promise<void> } | undefined;
  #leading = false;

  constructor(options: OperatorOptions) {
    this.#options = options;
    this.#client = new KubeClient(options.kubeConfig, options.rateLimit ?? { qps: 50, burst: 100 });
    const identity = options.identity ?? hostname();
    const events = new EventRecorder({
      client: this.#client,
      component: "switchboard-operator",
      instance: identity,
      log: options.log,
    });
    for (const plural of ["clusterconnectors", "connectors"] as const) {
      const informer = new Informer({
        client: this.#client,
        path: `/apis/${apiVersion}/${plural}`,
        log: options.log,
      });
      this.#informers.push(informer);
      this.#controllers.push(
        new Controller({
          name: plural.slice(0, -1),
          informer,
          reconcile: (key, object) =>
            this.#leading
              ? connectorReconciler({ client: this.#client, events, log: options.log, plural })(key, object)
              : Promise.resolve(),
          metrics: this.metrics,
          log: options.log,
          ...(options.workers ? { workers: options.workers } : {}),
        }),
      );
    }
  }

  get healthPort(): number | undefined {
    return this.#health?.port;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  async start(): Promise<void> {
    const options = this.#options;
    this.#health = await startHealthServer({
      port: options.healthPort ?? 8080,
      registry: this.metrics.registry,
      ready: () => this.#informers.every((i) => i.hasSynced),
    });
    await Promise.all(this.#informers.map((i) => i.start()));
    const leaseName = options.leaseName ?? "switchboard-operator";
    if (options.leaderElection === false) {
      this.#lead(leaseName);
      return;
    }
    this.#elector = new LeaderElector({
      client: this.#client,
      namespace: options.leaseNamespace ?? "kube-system",
      name: leaseName,
      identity: options.identity ?? hostname(),
      ...(options.leaseDurationMs ? { leaseDurationMs: options.leaseDurationMs } : {}),
      ...(options.renewDeadlineMs ? { renewDeadlineMs: options.renewDeadlineMs } : {}),
      ...(options.retryPeriodMs ? { retryPeriodMs: options.retryPeriodMs } : {}),
      onStartedLeading: () => this.#lead(leaseName),
      onStoppedLeading: () => {
        this.#leading = false;
        this.metrics.leaderStatus.set({ name: leaseName }, 0);
      },
      log: options.log,
    });
    this.metrics.leaderStatus.set({ name: leaseName }, 0);
    this.#elector.start();
  }

  /** Stops intake, waits for reconciles in flight, releases the lease, stops serving health. */
  async stop(): Promise<void> {
    for (const informer of this.#informers) informer.stop();
    await Promise.all(this.#controllers.map((c) => c.stop()));
    await this.#elector?.stop();
    this.#leading = false;
    await this.#health?.close();
  }

  #lead(leaseName: string): void {
    this.#leading = true;
    this.metrics.leaderStatus.set({ name: leaseName }, 1);
    for (const controller of this.#controllers) controller.enqueueAll();
  }
}
