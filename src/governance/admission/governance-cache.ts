import type { Logger } from "pino";
import type {
  ConnectorKind,
  ConnectorSpec,
  CredentialSpec,
  IntegrationPolicySpec,
  IntegrationSpec,
} from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { installedVersion, revisionLabels } from "../../operator/controllers/connector-revisions.js";
import { Informer } from "../../operator/informer/informer.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import { isKubeApiError } from "../../operator/kube/kube-client.js";
import type { KnownConnector } from "../../tools/known-connectors.js";
import { findConnector } from "../../tools/known-connectors.js";
import type { Policy } from "../policy/evaluate-policies.js";
import type { PolicyContext, ResolvedConnector } from "../policy/governed-object.js";

const group = "/apis/switchboard.dev/v1alpha1";

/** Informers of the kinds the cache needs that a process may already run. */
export type SharedInformers = Partial<
  Record<"clusterConnectors" | "connectors" | "revisions" | "credentials" | "integrations", Informer>
>;

/**
 * What admission and the audit know of the cluster, kept by informers: connectors (current
 * definitions and installed versions), Credentials, policies and namespaces. Reads are from memory;
 * a connector not yet in the cache is looked up once on the API server before it counts as missing.
 */
export class GovernanceCache {
  readonly #client: KubeClient;
  readonly #informers: Record<
    "clusterConnectors" | "connectors" | "revisions" | "credentials" | "policies" | "namespaces",
    Informer
  > & { integrations?: Informer };
  /** The informers this cache made, and so starts and stops; shared ones belong to their maker. */
  readonly #owned = new Set<Informer>();

  /**
   * `integrations`: cache Integrations too, for the audit (admission receives them). `shared`:
   * informers a process already runs (the operator's), used instead of watching the same again.
   */
  constructor(
    client: KubeClient,
    log: Logger,
    options: { integrations?: boolean; shared?: SharedInformers } = {},
  ) {
    this.#client = client;
    const informer = (
      key: keyof SharedInformers | "policies" | "namespaces",
      path: string,
      labelSelector?: string,
    ) => {
      const shared = key === "policies" || key === "namespaces" ? undefined : options.shared?.[key];
      if (shared) return shared;
      const created = new Informer({ client, path, log, ...(labelSelector ? { labelSelector } : {}) });
      this.#owned.add(created);
      return created;
    };
    this.#informers = {
      clusterConnectors: informer("clusterConnectors", `${group}/clusterconnectors`),
      connectors: informer("connectors", `${group}/connectors`),
      revisions: informer("revisions", "/apis/apps/v1/controllerrevisions", revisionLabels.name),
      credentials: informer("credentials", `${group}/credentials`),
      policies: informer("policies", `${group}/integrationpolicies`),
      namespaces: informer("namespaces", "/api/v1/namespaces"),
      ...(options.integrations ? { integrations: informer("integrations", `${group}/integrations`) } : {}),
    };
  }

  /** Known connectors, computed once per change of connectors or revisions. */
  #known: KnownConnector[] | undefined;

  async start(): Promise<void> {
    const { clusterConnectors, connectors, revisions } = this.#informers;
    for (const informer of [clusterConnectors, connectors, revisions])
      for (const event of ["add", "update", "delete"] as const)
        informer.on(event, () => (this.#known = undefined));
    await Promise.all([...this.#owned].map((informer) => informer.start()));
  }

  stop(): void {
    for (const informer of this.#owned) informer.stop();
  }

  policies(): Policy[] {
    return this.#informers.policies
      .list()
      .map((p) => ({ name: p.metadata.name ?? "", spec: p.spec as IntegrationPolicySpec }));
  }

  /** A policy's status as last seen. */
  policyStatus(name: string): Record<string, unknown> | undefined {
    return this.#informers.policies.get(undefined, name)?.status as Record<string, unknown> | undefined;
  }

  /** Every version known of connectors: installed revisions, and definitions not yet installed. */
  knownConnectors(): KnownConnector[] {
    this.#known ??= this.#computeKnown();
    return this.#known;
  }

  #computeKnown(): KnownConnector[] {
    const known = new Map<string, KnownConnector>();
    const add = (kind: ConnectorKind, namespace: string | undefined, name: string, spec: ConnectorSpec) =>
      known.set(`${kind}/${namespace ?? ""}/${name}/${spec.version}`, {
        kind,
        namespace,
        name,
        spec,
        file: "",
      });
    for (const revision of this.#informers.revisions.list()) {
      const labels = revision.metadata.labels ?? {};
      const kind = labels[revisionLabels.kind] === "Connector" ? "Connector" : "ClusterConnector";
      const installed = installedVersion(revision);
      if (installed.removalRequested) continue;
      add(
        kind,
        kind === "Connector" ? revision.metadata.namespace : undefined,
        labels[revisionLabels.name] ?? "",
        installed.spec,
      );
    }
    for (const c of this.#informers.clusterConnectors.list())
      add("ClusterConnector", undefined, c.metadata.name ?? "", c.spec as ConnectorSpec);
    for (const c of this.#informers.connectors.list())
      add("Connector", c.metadata.namespace, c.metadata.name ?? "", c.spec as ConnectorSpec);
    return [...known.values()];
  }

  /** The cache, after one live look-up of the Integration's connector when the cache has none of it. */
  async knownConnectorsFor(namespace: string, spec: IntegrationSpec): Promise<KnownConnector[]> {
    const known = this.knownConnectors();
    const ref = spec.connectorRef;
    if (findConnector(known, ref, namespace).connector) return known;
    const kind = ref.kind ?? "ClusterConnector";
    const path =
      kind === "Connector"
        ? `${group}/namespaces/${namespace}/connectors/${ref.name}`
        : `${group}/clusterconnectors/${ref.name}`;
    try {
      const live = await this.#client.request<KubeObject>("GET", path);
      return [
        ...known,
        {
          kind,
          namespace: kind === "Connector" ? namespace : undefined,
          name: ref.name,
          spec: live.spec as ConnectorSpec,
          file: "",
        },
      ];
    } catch (error) {
      if (isKubeApiError(error) && error.code === 404) return known;
      throw error;
    }
  }

  context(known: readonly KnownConnector[] = this.knownConnectors()): PolicyContext {
    return {
      namespaceLabels: (namespace) => this.#informers.namespaces.get(undefined, namespace)?.metadata.labels,
      connectorOf: (namespace, spec): ResolvedConnector | undefined => {
        const found = findConnector(known, spec.connectorRef, namespace).connector;
        return found && { kind: found.kind, name: found.name, version: found.spec.version, spec: found.spec };
      },
      credential: (namespace, name) =>
        this.#informers.credentials.get(namespace, name)?.spec as CredentialSpec | undefined,
    };
  }

  /** Every governed object, for the audit. */
  governedObjects(): {
    kind: "Integration" | "Connector" | "ClusterConnector" | "Credential";
    object: KubeObject;
  }[] {
    return [
      ...(this.#informers.integrations?.list() ?? []).map((object) => ({
        kind: "Integration" as const,
        object,
      })),
      ...this.#informers.clusterConnectors
        .list()
        .map((object) => ({ kind: "ClusterConnector" as const, object })),
      ...this.#informers.connectors.list().map((object) => ({ kind: "Connector" as const, object })),
      ...this.#informers.credentials.list().map((object) => ({ kind: "Credential" as const, object })),
    ];
  }
}
