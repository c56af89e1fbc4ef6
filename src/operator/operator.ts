import { hostname } from "node:os";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeObject } from "../apiserver/types.js";
import { apiVersion } from "../api/group.js";
import type { Integration } from "../api/types.js";
import { trustingDispatcher } from "../auth/trusting-dispatcher.js";
import { Controller } from "./controller/controller.js";
import { connectorReconciler } from "./controllers/connector-controller.js";
import type { ConnectorKind } from "./controllers/connector-revisions.js";
import { connectorKey, revisionLabels } from "./controllers/connector-revisions.js";
import type { CredentialCheckSettings } from "./controllers/credential-reconciler.js";
import { credentialReconciler, secretKeysOnly } from "./controllers/credential-reconciler.js";
import type { OwnedKind } from "./controllers/integration-reconciler.js";
import { integrationReconciler } from "./controllers/integration-reconciler.js";
import type { RuntimeSettings } from "./render/runtime-settings.js";
import type { GovernanceSettings } from "../governance/governance-loops.js";
import { GovernanceLoops } from "../governance/governance-loops.js";
import type { SharedInformers } from "../governance/admission/governance-cache.js";
import { EventRecorder } from "./events/event-recorder.js";
import { startHealthServer } from "./health/health-server.js";
import { Informer } from "./informer/informer.js";
import { isKubeApiError, KubeClient } from "./kube/kube-client.js";
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
  /** How often every object is reconciled again though nothing changed. @default 600000 */
  resyncPeriodMs?: number;
  /**
   * The operator's own namespace: the Lease and ClusterConnectors' installed versions live here.
   * @default $POD_NAMESPACE, else `switchboard-system`
   */
  namespace?: string;
  /** How Credentials are checked: token requests, their schedule, expiry warnings. */
  credentialChecks?: Omit<CredentialCheckSettings, "dispatcher"> & {
    /** PEM certificates to trust besides the public CAs, for token endpoints behind a private CA. */
    extraCaPem?: string;
  };
  /** The runtime image and its defaults. */
  runtime?: RuntimeSettings;
  /** The policy audit and the admission webhook's certificates; off when unset. */
  governance?: GovernanceSettings;
}

const ownedKinds = [
  { kind: "ConfigMap", apiVersion: "v1", plural: "configmaps" },
  { kind: "ServiceAccount", apiVersion: "v1", plural: "serviceaccounts" },
  { kind: "Deployment", apiVersion: "apps/v1", plural: "deployments" },
  { kind: "Service", apiVersion: "v1", plural: "services" },
  { kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1", plural: "networkpolicies" },
  { kind: "PodDisruptionBudget", apiVersion: "policy/v1", plural: "poddisruptionbudgets" },
];

/**
 * The operator process: informers fill caches (on every instance, so a standby takes over warm),
 * controllers reconcile only while this instance leads, health and metrics are served throughout, and
 * `stop` stops intake, finishes reconciles in flight and releases the lease.
 */
export class Operator {
  readonly metrics = new OperatorMetrics();
  readonly namespace: string;
  readonly #options: OperatorOptions;
  readonly #client: KubeClient;
  readonly #informers: Informer[] = [];
  readonly #controllers: Controller[] = [];
  #elector: LeaderElector | undefined;
  #governance: GovernanceLoops | undefined;
  /** Informers the governance loops read too. */
  readonly #shared: SharedInformers;
  #health: { port: number; close: () => Promise<void> } | undefined;
  #leading = false;

  constructor(options: OperatorOptions) {
    this.#options = options;
    this.namespace = options.namespace ?? process.env.POD_NAMESPACE ?? "switchboard-system";
    this.#client = new KubeClient(options.kubeConfig, options.rateLimit ?? { qps: 50, burst: 100 });
    const identity = options.identity ?? hostname();
    const events = new EventRecorder({
      client: this.#client,
      component: "switchboard-operator",
      instance: identity,
      log: options.log,
    });
    const controllerTuning = {
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.resyncPeriodMs !== undefined ? { resyncPeriodMs: options.resyncPeriodMs } : {}),
    };
    const informer = (
      path: string,
      extra: Partial<ConstructorParameters<typeof Informer>[0]> = {},
    ): Informer => {
      const created = new Informer({
        client: this.#client,
        path,
        log: options.log,
        transform: withoutManagedFields,
        ...extra,
      });
      this.#informers.push(created);
      return created;
    };
    const integrations = informer(`/apis/${apiVersion}/integrations`, {
      indexes: {
        connector: (o) => {
          const ref = (o.spec as { connectorRef?: { kind?: ConnectorKind; name?: string } }).connectorRef;
          return ref?.name
            ? [connectorKey(ref.kind ?? "ClusterConnector", o.metadata.namespace, ref.name)]
            : [];
        },
        credential: (o) => {
          const name = (o.spec as { credentialRef?: { name?: string } }).credentialRef?.name;
          return name ? [`${o.metadata.namespace ?? ""}/${name}`] : [];
        },
      },
    });
    const revisions = informer("/apis/apps/v1/controllerrevisions", {
      labelSelector: "app.kubernetes.io/managed-by=switchboard-operator",
      indexes: { connector: (o) => revisionConnectorKeys(o) },
    });
    const connectorInformers = {
      clusterconnectors: informer(`/apis/${apiVersion}/clusterconnectors`),
      connectors: informer(`/apis/${apiVersion}/connectors`),
    };
    for (const plural of ["clusterconnectors", "connectors"] as const) {
      const kind: ConnectorKind = plural === "connectors" ? "Connector" : "ClusterConnector";
      // Controller keys are `name` for ClusterConnectors and `namespace/name` for Connectors.
      const controllerKey = (index: string): string[] =>
        index.startsWith(`${kind}/`) ? [index.slice(kind.length + 1)] : [];
      const reconcile = connectorReconciler({
        client: this.#client,
        events,
        log: options.log,
        kind,
        revisions,
        integrations,
        revisionNamespace: this.namespace,
      });
      this.#controllers.push(
        new Controller({
          name: plural.slice(0, -1),
          informer: connectorInformers[plural],
          // Standbys keep their caches warm but leave the work to the leader.
          reconcile: (key, object) => (this.#leading ? reconcile(key, object) : Promise.resolve()),
          watches: [
            { informer: revisions, keysFor: (o) => revisionConnectorKeys(o).flatMap(controllerKey) },
            {
              // An Integration counts toward the version it resolved to, and wakes the connector it names.
              informer: integrations,
              keysFor: (o) => {
                const keys = new Set<string>();
                const ref = (o as Integration).spec.connectorRef;
                keys.add(connectorKey(ref.kind ?? "ClusterConnector", o.metadata.namespace, ref.name));
                const resolved = (o as Integration).status?.connector;
                if (resolved?.name)
                  keys.add(
                    connectorKey(resolved.kind ?? "ClusterConnector", o.metadata.namespace, resolved.name),
                  );
                return [...keys].flatMap(controllerKey);
              },
            },
          ],
          metrics: this.metrics,
          log: options.log,
          ...controllerTuning,
        }),
      );
    }
    const credentials = informer(`/apis/${apiVersion}/credentials`, {
      indexes: {
        secret: (o) => {
          const name = (o.spec as { secretRef?: { name?: string } }).secretRef?.name;
          return name ? [`${o.metadata.namespace ?? ""}/${name}`] : [];
        },
      },
    });
    this.#shared = {
      clusterConnectors: connectorInformers.clusterconnectors,
      connectors: connectorInformers.connectors,
      revisions,
      credentials,
      integrations,
    };
    // Secrets are cached as key names only: the operator never holds secret values.
    const secrets = informer("/api/v1/secrets", { transform: secretKeysOnly });
    const { extraCaPem, ...checks } = options.credentialChecks ?? {};
    const dispatcher = trustingDispatcher(extraCaPem);
    const reconcileCredential = credentialReconciler({
      client: this.#client,
      secrets,
      events,
      metrics: this.metrics,
      checks: { ...checks, ...(dispatcher ? { dispatcher } : {}) },
      log: options.log,
    });
    this.#controllers.push(
      new Controller({
        name: "credential",
        informer: credentials,
        reconcile: (key, object) => (this.#leading ? reconcileCredential(key, object) : Promise.resolve()),
        watches: [
          {
            informer: secrets,
            keysFor: (o) =>
              keys(credentials.byIndex("secret", `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`)),
          },
        ],
        metrics: this.metrics,
        log: options.log,
        ...controllerTuning,
      }),
    );
    const owned: OwnedKind[] = ownedKinds.map((k) => ({
      ...k,
      informer: informer(
        k.apiVersion.includes("/") ? `/apis/${k.apiVersion}/${k.plural}` : `/api/${k.apiVersion}/${k.plural}`,
        {
          labelSelector: "app.kubernetes.io/managed-by=switchboard-operator",
          indexes: {
            integration: (o) =>
              o.metadata.labels?.["switchboard.dev/integration"]
                ? [`${o.metadata.namespace ?? ""}/${o.metadata.labels["switchboard.dev/integration"]}`]
                : [],
          },
        },
      ),
    }));
    const keys = (objects: KubeObject[]): string[] =>
      objects.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`);
    const reconcileIntegration = integrationReconciler({
      client: this.#client,
      integrations,
      clusterConnectors: connectorInformers.clusterconnectors,
      connectors: connectorInformers.connectors,
      revisions,
      credentials,
      owned,
      events,
      metrics: this.metrics,
      settings: options.runtime ?? { image: "ghcr.io/switchboard/switchboard:latest" },
      personalData: (integration) => this.#governance?.personalDataFor(integration),
      log: options.log,
    });
    this.#controllers.push(
      new Controller({
        name: "integration",
        informer: integrations,
        reconcile: (key, object) => (this.#leading ? reconcileIntegration(key, object) : Promise.resolve()),
        watches: [
          {
            informer: connectorInformers.clusterconnectors,
            keysFor: (o) =>
              keys(
                integrations.byIndex(
                  "connector",
                  connectorKey("ClusterConnector", undefined, o.metadata.name ?? ""),
                ),
              ),
          },
          {
            informer: connectorInformers.connectors,
            keysFor: (o) =>
              keys(
                integrations.byIndex(
                  "connector",
                  connectorKey("Connector", o.metadata.namespace, o.metadata.name ?? ""),
                ),
              ),
          },
          {
            informer: revisions,
            keysFor: (o) =>
              revisionConnectorKeys(o).flatMap((k) => keys(integrations.byIndex("connector", k))),
          },
          {
            informer: credentials,
            keysFor: (o) =>
              keys(
                integrations.byIndex("credential", `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`),
              ),
          },
          ...owned.map((k) => ({
            informer: k.informer,
            keysFor: (o: KubeObject) => {
              const name = o.metadata.labels?.["switchboard.dev/integration"];
              return name ? [`${o.metadata.namespace ?? ""}/${name}`] : [];
            },
          })),
        ],
        metrics: this.metrics,
        log: options.log,
        ...controllerTuning,
      }),
    );
  }

  get healthPort(): number | undefined {
    return this.#health?.port;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  async start(): Promise<void> {
    const options = this.#options;
    await this.#checkNamespace(this.namespace, "--namespace");
    if (options.leaderElection !== false && options.leaseNamespace)
      await this.#checkNamespace(options.leaseNamespace, "--lease-namespace");
    this.#health = await startHealthServer({
      port: options.healthPort ?? 8080,
      registry: this.metrics.registry,
      ready: () => this.#informers.every((i) => i.hasSynced),
    });
    await Promise.all(this.#informers.map((i) => i.start()));
    if (options.governance) {
      this.#governance = new GovernanceLoops(
        this.#client,
        options.governance,
        options.log.child({ component: "governance" }),
        this.#shared,
      );
      await this.#governance.startCaches();
    }
    const leaseName = options.leaseName ?? "switchboard-operator";
    if (options.leaderElection === false) {
      this.#lead(leaseName);
      return;
    }
    this.#elector = new LeaderElector({
      client: this.#client,
      namespace: options.leaseNamespace ?? this.namespace,
      name: leaseName,
      identity: options.identity ?? hostname(),
      ...(options.leaseDurationMs ? { leaseDurationMs: options.leaseDurationMs } : {}),
      ...(options.renewDeadlineMs ? { renewDeadlineMs: options.renewDeadlineMs } : {}),
      ...(options.retryPeriodMs ? { retryPeriodMs: options.retryPeriodMs } : {}),
      onStartedLeading: () => this.#lead(leaseName),
      onStoppedLeading: () => {
        this.#leading = false;
        this.#governance?.stopLeading();
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
    this.#governance?.stop();
    await this.#elector?.stop();
    this.#leading = false;
    await this.#health?.close();
  }

  /** Fails fast, naming the fix, when a namespace the operator writes to does not exist. */
  async #checkNamespace(namespace: string, flag: string): Promise<void> {
    try {
      await this.#client.request("GET", `/api/v1/namespaces/${encodeURIComponent(namespace)}`);
    } catch (error) {
      if (isKubeApiError(error) && error.code === 404) {
        throw new Error(
          `namespace "${namespace}" not found: create it (kubectl create namespace ${namespace}) or pass ${flag}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  #lead(leaseName: string): void {
    this.#leading = true;
    this.metrics.leaderStatus.set({ name: leaseName }, 1);
    for (const controller of this.#controllers) controller.enqueueAll();
    this.#governance?.lead();
  }
}

/** The cache keeps no managedFields: no controller reads them, and they are most of an object's size. */
function withoutManagedFields(object: KubeObject): KubeObject {
  if (!object.metadata.managedFields) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** The connector an installed version (a ControllerRevision) belongs to, as an index key. */
function revisionConnectorKeys(revision: KubeObject): string[] {
  const labels = revision.metadata.labels ?? {};
  const kind = labels[revisionLabels.kind];
  const name = labels[revisionLabels.name];
  if (!name || (kind !== "ClusterConnector" && kind !== "Connector")) return [];
  return [connectorKey(kind, revision.metadata.namespace, name)];
}
