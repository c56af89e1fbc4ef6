import type { Logger } from "pino";
import { ConditionType, Reason } from "../../api/conditions.js";
import type { Condition, Credential, Integration, IntegrationStatus } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { removeCondition, setCondition } from "../controller/conditions.js";
import { StalledError, WaitingError } from "../controller/reconcile-errors.js";
import { collectionPath, fieldManager, writeStatus } from "../controller/status-writer.js";
import type { EventRecorder } from "../events/event-recorder.js";
import type { Informer } from "../informer/informer.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { OperatorMetrics } from "../metrics/operator-metrics.js";
import { renderIntegration } from "../render/render-integration.js";
import type { PersonalDataRules } from "../../runtime/flows/personal-data.js";
import type { RuntimeSettings } from "../render/runtime-settings.js";
import { connectorKey } from "./connector-revisions.js";
import { resolveConnectorVersion } from "./connector-version-resolution.js";
import { configProblems } from "./integration-config.js";
import { isSubset } from "./is-subset.js";

export const integrationFinalizer = "switchboard.dev/integration";

/** The owned kinds, by kind: where they live and what informer caches them. */
export interface OwnedKind {
  kind: string;
  apiVersion: string;
  plural: string;
  informer: Informer;
}

export interface IntegrationReconcilerOptions {
  client: KubeClient;
  integrations: Informer;
  clusterConnectors: Informer;
  connectors: Informer;
  /** Installed connector versions (ControllerRevisions), indexed by `connector`. */
  revisions: Informer;
  credentials: Informer;
  owned: OwnedKind[];
  events: EventRecorder;
  metrics: OperatorMetrics;
  settings: RuntimeSettings;
  /** Fields the cluster's policies ask this Integration's runtime to take out of events. */
  personalData?: (integration: Integration) => PersonalDataRules | undefined;
  log: Logger;
}

const integrationsPath = (namespace: string): string =>
  collectionPath("switchboard.dev/v1alpha1", "integrations", namespace);

/**
 * Reconciles an Integration in Flux's shape: deleting → clean up and drop the finalizer; ensure the
 * finalizer; resolve the connector version; check config and credential; apply the owned objects that
 * differ (server-side apply, one field manager) and prune the ones no longer wanted; report readiness
 * from the Deployment; write status once. A steady cluster sees no writes.
 */
export function integrationReconciler(options: IntegrationReconcilerOptions) {
  return async (_key: string, object: KubeObject | undefined): Promise<void> => {
    if (!object) return;
    const integration = object as Integration;
    const namespace = integration.metadata.namespace ?? "default";
    const name = integration.metadata.name ?? "";
    if (integration.metadata.deletionTimestamp) {
      options.metrics.setIntegration(namespace, name, undefined);
      await removeFinalizer(options.client, integration);
      return;
    }
    if (!(integration.metadata.finalizers ?? []).includes(integrationFinalizer)) {
      await options.client.request(
        "PATCH",
        `${integrationsPath(namespace)}/${name}`,
        [
          integration.metadata.finalizers
            ? { op: "add", path: "/metadata/finalizers/-", value: integrationFinalizer }
            : { op: "add", path: "/metadata/finalizers", value: [integrationFinalizer] },
        ],
        "application/json-patch+json",
      );
      return; // The update wakes this controller again, with the finalizer in the cache.
    }

    const status: IntegrationStatus = { ...(integration.status ?? {}) };
    const generation = integration.metadata.generation;
    const now = new Date();
    let conditions: Condition[] = status.conditions ?? [];
    // Set once the version is resolved; `finish` reports it from then on.
    let deprecation: string | undefined = undefined;
    const wasDeprecated = conditions.some((c) => c.type === ConditionType.Deprecated && c.status === "True");
    const finish = async (
      ready: { status: "True" | "False"; reason: string; message: string },
      extra: Partial<IntegrationStatus> = {},
    ) => {
      conditions = setCondition(conditions, { type: ConditionType.Ready, ...ready }, generation, now);
      if (ready.reason === Reason.DeploymentNotReady) {
        conditions = setCondition(
          conditions,
          {
            type: ConditionType.Reconciling,
            status: "True",
            reason: Reason.Progressing,
            message: ready.message,
          },
          generation,
          now,
        );
      } else conditions = removeCondition(conditions, ConditionType.Reconciling);
      const stalled =
        ready.status === "False" &&
        ready.reason !== Reason.DeploymentNotReady &&
        ready.reason !== Reason.CredentialNotReady &&
        ready.reason !== Reason.ConnectorNotReady &&
        ready.reason !== Reason.CredentialNotFound;
      conditions = stalled
        ? setCondition(
            conditions,
            { type: ConditionType.Stalled, status: "True", reason: ready.reason, message: ready.message },
            generation,
            now,
          )
        : removeCondition(conditions, ConditionType.Stalled);
      conditions = deprecation
        ? setCondition(
            conditions,
            {
              type: ConditionType.Deprecated,
              status: "True",
              reason: Reason.ConnectorDeprecated,
              message: deprecation,
            },
            generation,
            now,
          )
        : removeCondition(conditions, ConditionType.Deprecated);
      const next: IntegrationStatus = {
        ...status,
        ...extra,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
        conditions,
      };
      const changed = await writeStatus(
        options.client,
        integrationsPath(namespace),
        integration,
        next as Record<string, unknown>,
      );
      if (changed && ready.status === "False" && ready.reason !== Reason.DeploymentNotReady) {
        await options.events.record(integration, "Warning", ready.reason, ready.message);
      } else if (
        changed &&
        ready.status === "True" &&
        (status.conditions ?? []).find((c) => c.type === ConditionType.Ready)?.status !== "True"
      ) {
        await options.events.record(integration, "Normal", Reason.Succeeded, ready.message);
      }
      if (changed && deprecation && !wasDeprecated)
        await options.events.record(integration, "Warning", Reason.ConnectorDeprecated, deprecation);
      const connector = next.connector;
      if (connector?.name && connector.version) {
        options.metrics.setIntegration(namespace, name, {
          connector: connector.name,
          version: connector.version,
          ready: ready.status === "True",
        });
      }
    };

    // 1. The connector, at the highest installed version the range allows.
    const ref = integration.spec.connectorRef;
    const kind = ref.kind ?? "ClusterConnector";
    const connectorObject =
      kind === "Connector"
        ? options.connectors.get(namespace, ref.name)
        : options.clusterConnectors.get(undefined, ref.name);
    if (!connectorObject) {
      await finish({
        status: "False",
        reason: Reason.ConnectorNotFound,
        message: `${kind} "${ref.name}" not found: install it (e.g. kubectl apply -f connectors/...) or fix spec.connectorRef`,
      });
      throw new StalledError(Reason.ConnectorNotFound, `${kind} ${ref.name} not found`);
    }
    const range = ref.version ?? "*";
    const pinned = status.connector;
    const resolution = resolveConnectorVersion(
      options.revisions.byIndex("connector", connectorKey(kind, namespace, ref.name)),
      range,
      pinned?.name === ref.name && (pinned.kind ?? "ClusterConnector") === kind ? pinned.version : undefined,
    );
    if (!resolution.resolved) {
      if (resolution.installed.length === 0) {
        const message = `${kind} "${ref.name}" has no installed version yet (${readyMessage(connectorObject)})`;
        await finish({ status: "False", reason: Reason.ConnectorNotReady, message });
        throw new WaitingError(Reason.ConnectorNotReady, message, 30_000);
      }
      const message = `no installed version of ${kind} "${ref.name}" matches spec.connectorRef.version "${range}" (installed: ${resolution.installed.join(", ")}): install one in range or change the range`;
      await finish({ status: "False", reason: Reason.NoMatchingVersion, message });
      throw new StalledError(Reason.NoMatchingVersion, message);
    }
    const connectorSpec = resolution.resolved.spec;
    const resolved = { kind, name: ref.name, version: resolution.resolved.version };
    deprecation =
      connectorSpec.maturity === "deprecated"
        ? `${kind} "${ref.name}" ${resolved.version} is deprecated: ${connectorSpec.deprecation?.message ?? "no reason given"}${connectorSpec.deprecation?.replacedBy ? ` (replaced by ${connectorSpec.deprecation.replacedBy})` : ""}`
        : undefined;

    // 2. Config against the connector's config schema.
    const [configProblem] = configProblems(connectorSpec.configSchema, integration.spec.config);
    if (configProblem) {
      const message = `${configProblem.path}: ${configProblem.message}`;
      await finish({ status: "False", reason: Reason.InvalidConfig, message }, { connector: resolved });
      throw new StalledError(Reason.InvalidConfig, message);
    }

    // 3. The credential: present, of a type the connector takes, and not known to be failing.
    let credentialSecretName: string | undefined;
    let credentialSpec: Credential["spec"] | undefined;
    if (integration.spec.credentialRef) {
      const credential = options.credentials.get(namespace, integration.spec.credentialRef.name) as
        Credential | undefined;
      if (!credential) {
        const message = `Credential "${integration.spec.credentialRef.name}" not found in namespace ${namespace}: create it`;
        await finish(
          { status: "False", reason: Reason.CredentialNotFound, message },
          { connector: resolved },
        );
        throw new WaitingError(Reason.CredentialNotFound, message, 30_000);
      }
      const accepted = (connectorSpec.auth ?? []).map((a) => a.type);
      if (accepted.length > 0 && !accepted.includes(credential.spec.type)) {
        const message = `Credential "${credential.metadata.name ?? ""}" is of type ${credential.spec.type}; ${ref.name} accepts ${accepted.join(", ")}`;
        await finish(
          { status: "False", reason: Reason.CredentialTypeNotAccepted, message },
          { connector: resolved },
        );
        throw new StalledError(Reason.CredentialTypeNotAccepted, message);
      }
      if (credential.status?.conditions?.find((c) => c.type === ConditionType.Ready)?.status === "False") {
        const message = `Credential "${credential.metadata.name ?? ""}" is not Ready`;
        await finish(
          { status: "False", reason: Reason.CredentialNotReady, message },
          { connector: resolved },
        );
        throw new WaitingError(Reason.CredentialNotReady, message, 30_000);
      }
      credentialSecretName = credential.spec.secretRef.name;
      credentialSpec = credential.spec;
    }

    // 4. Owned objects: apply what differs, prune what is no longer wanted.
    const personalData = options.personalData?.(integration);
    const desired = renderIntegration({
      integration,
      connector: { ...resolved, spec: connectorSpec },
      settings: options.settings,
      ...(credentialSecretName ? { credentialSecretName } : {}),
      ...(credentialSpec ? { credential: credentialSpec } : {}),
      ...(personalData ? { personalData } : {}),
    });
    for (const object of desired) {
      const owned = options.owned.find((o) => o.kind === object.kind);
      if (!owned) continue;
      const live = owned.informer.get(namespace, object.metadata.name ?? "");
      if (live && isSubset(object, live)) continue;
      await options.client.request(
        "PATCH",
        `${collectionPath(owned.apiVersion, owned.plural, namespace)}/${object.metadata.name ?? ""}?fieldManager=${fieldManager}&force=true`,
        JSON.stringify(object),
        "application/apply-patch+yaml",
      );
    }
    const wanted = new Set(desired.map((o) => `${o.kind}/${o.metadata.name ?? ""}`));
    for (const owned of options.owned) {
      for (const live of owned.informer.byIndex("integration", `${namespace}/${name}`)) {
        if (wanted.has(`${owned.kind}/${live.metadata.name ?? ""}`) || live.metadata.deletionTimestamp)
          continue;
        await options.client.request(
          "DELETE",
          `${collectionPath(owned.apiVersion, owned.plural, namespace)}/${live.metadata.name ?? ""}`,
        );
      }
    }

    // 5. Readiness from the Deployment.
    const deployment = options.owned.find((o) => o.kind === "Deployment")?.informer.get(namespace, name);
    const wantReplicas = integration.spec.suspend ? 0 : (integration.spec.replicas ?? 1);
    const deploymentStatus = (deployment?.status ?? {}) as {
      readyReplicas?: number;
      replicas?: number;
      observedGeneration?: number;
    };
    const readyReplicas = deploymentStatus.readyReplicas ?? 0;
    const rolledOut =
      deployment !== undefined &&
      (deploymentStatus.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
    const webhookURL = `http://${name}.${namespace}.svc${integration.spec.webhook?.path ?? "/webhook"}`;
    const extra: Partial<IntegrationStatus> = {
      connector: resolved,
      webhookURL,
      replicas: deploymentStatus.replicas ?? 0,
      readyReplicas,
    };
    if (rolledOut && readyReplicas >= wantReplicas) {
      await finish(
        {
          status: "True",
          reason: integration.spec.suspend ? Reason.Suspended : Reason.Succeeded,
          message: integration.spec.suspend
            ? "suspended: scaled to zero"
            : `${readyReplicas}/${wantReplicas} runtime replicas ready on ${ref.name} ${resolved.version}`,
        },
        extra,
      );
      return;
    }
    await finish(
      {
        status: "False",
        reason: Reason.DeploymentNotReady,
        message: `${readyReplicas}/${wantReplicas} runtime replicas ready`,
      },
      extra,
    );
  };
}

async function removeFinalizer(client: KubeClient, integration: Integration): Promise<void> {
  const finalizers = integration.metadata.finalizers ?? [];
  const index = finalizers.indexOf(integrationFinalizer);
  if (index < 0) return;
  await client.request(
    "PATCH",
    `${integrationsPath(integration.metadata.namespace ?? "default")}/${integration.metadata.name ?? ""}`,
    [
      { op: "test", path: `/metadata/finalizers/${index}`, value: integrationFinalizer },
      { op: "remove", path: `/metadata/finalizers/${index}` },
    ],
    "application/json-patch+json",
  );
}

function readyMessage(connector: KubeObject): string {
  const ready = (connector.status as { conditions?: Condition[] } | undefined)?.conditions?.find(
    (c) => c.type === ConditionType.Ready,
  );
  return ready ? `Ready=${ready.status}: ${ready.message}` : "not reconciled yet";
}
