import type { Logger } from "pino";
import semver from "semver";
import { ConditionType, Reason } from "../../api/conditions.js";
import type {
  Condition,
  ConnectorSpec,
  ConnectorStatus,
  InstalledConnectorVersion,
  Integration,
} from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { removeCondition, setCondition } from "../controller/conditions.js";
import { StalledError } from "../controller/reconcile-errors.js";
import { collectionPath, fieldManager, writeStatus } from "../controller/status-writer.js";
import type { EventRecorder } from "../events/event-recorder.js";
import type { Informer } from "../informer/informer.js";
import type { KubeClient } from "../kube/kube-client.js";
import { isKubeApiError } from "../kube/kube-client.js";
import { connectorProblems } from "./connector-validation.js";
import type { ConnectorKind } from "./connector-revisions.js";
import {
  buildRevision,
  connectorKey,
  definitionDigest,
  inUseFinalizer,
  installedVersion,
  revisionMetadata,
} from "./connector-revisions.js";

export interface ConnectorReconcilerOptions {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  kind: ConnectorKind;
  /** Installed versions (ControllerRevisions), indexed by `connector` (see connectorKey). */
  revisions: Informer;
  /** Integrations, indexed by `connector`, to count the users of each version. */
  integrations: Informer;
  /** Where a ClusterConnector's revisions live: the operator's namespace. */
  revisionNamespace: string;
}

const revisionsPath = (namespace: string): string =>
  collectionPath("apps/v1", "controllerrevisions", namespace);

/**
 * Reconciles a ClusterConnector or Connector: checks the definition beyond its schema; installs its
 * version as an immutable revision (or finds the one installed, and refuses a changed definition under
 * the same version); keeps each installed version's revision while Integrations resolve to it; reports
 * the versions and their users in status, and the outcome as `Ready`, once, at the end.
 *
 * A reconcile of a connector that no longer exists still runs: its revisions may outlive it while
 * Integrations use them, and must be released when they stop.
 */
export function connectorReconciler(options: ConnectorReconcilerOptions) {
  const plural = options.kind === "Connector" ? "connectors" : "clusterconnectors";
  return async (key: string, object: KubeObject | undefined): Promise<void> => {
    const [namespace, name] =
      options.kind === "Connector" ? (key.split("/", 2) as [string, string]) : [undefined, key];
    const index = connectorKey(options.kind, namespace, name);
    const revisions = options.revisions.byIndex("connector", index);
    const usage = versionUsage(options.integrations.byIndex("connector", index), options.kind, name);
    await releaseOrHoldRevisions(options.client, revisions, usage);
    if (!object || object.metadata.deletionTimestamp) return;

    const spec = object.spec as ConnectorSpec;
    const status = (object.status ?? {}) as ConnectorStatus;
    const generation = object.metadata.generation;
    const now = new Date();
    const problems = connectorProblems(spec);
    const revisionNamespace = namespace ?? options.revisionNamespace;
    const installed = revisions.map(installedVersion);
    const current = installed.find((v) => v.version === spec.version);
    if (problems.length === 0 && !current) {
      const revision = buildRevision({
        connector: object,
        kind: options.kind,
        namespace: revisionNamespace,
        revision: Math.max(0, ...revisions.map((r) => Number(r.revision ?? 0))) + 1,
      });
      await createRevision(options.client, revision);
      // The revision's arrival in the cache brings this connector back with the version installed.
      await options.events.record(
        object,
        "Normal",
        Reason.Succeeded,
        `installed ${spec.displayName} ${spec.version} as revision ${revision.metadata.name ?? ""}`,
      );
      return;
    }
    if (current && current.digest !== definitionDigest(spec)) {
      problems.unshift(
        `spec: ${spec.version} is already installed with a different definition (${current.digest.slice(0, 19)}…); versions are immutable: give the changed definition a new version`,
      );
    } else if (current) {
      await followMaturity(options.client, current.revision, spec);
    }

    let conditions: Condition[] = status.conditions ?? [];
    const reason =
      problems.length === 0
        ? Reason.Succeeded
        : current && current.digest !== definitionDigest(spec)
          ? Reason.VersionModified
          : Reason.InvalidSpec;
    const message =
      problems.length === 0
        ? `${spec.displayName} ${spec.version} is valid and installed`
        : problems.length === 1
          ? (problems[0] as string)
          : `${problems[0]} (and ${problems.length - 1} more)`;
    conditions = setCondition(
      conditions,
      { type: ConditionType.Ready, status: problems.length === 0 ? "True" : "False", reason, message },
      generation,
      now,
    );
    conditions =
      problems.length === 0
        ? removeCondition(conditions, ConditionType.Stalled)
        : setCondition(
            conditions,
            { type: ConditionType.Stalled, status: "True", reason, message },
            generation,
            now,
          );
    const versions: InstalledConnectorVersion[] = installed
      .sort((a, b) => semver.rcompare(a.version, b.version))
      .map((v) => ({
        version: v.version,
        digest: v.digest,
        maturity: v.spec.maturity ?? "experimental",
        integrations: usage.get(v.version) ?? 0,
        ...(v.removalRequested ? { removalRequested: true } : {}),
      }));
    const next: ConnectorStatus = {
      ...status,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      conditions,
      versions,
      integrations: [...usage.values()].reduce((sum, n) => sum + n, 0),
    };
    const changed = await writeStatus(
      options.client,
      collectionPath(object.apiVersion, plural, namespace),
      object,
      next as Record<string, unknown>,
    );
    if (changed) {
      const before = new Map((status.versions ?? []).map((v) => [v.version, v]));
      for (const v of versions) {
        if (v.removalRequested && !before.get(v.version)?.removalRequested && (v.integrations ?? 0) > 0) {
          await options.events.record(
            object,
            "Warning",
            Reason.VersionInUse,
            `${spec.displayName} ${v.version} was deleted but ${v.integrations ?? 0} Integration(s) use it; it stays until none do (widen their spec.connectorRef.version, or install a newer version in their range)`,
          );
        }
      }
    }
    if (problems.length > 0) {
      if (changed) await options.events.record(object, "Warning", reason, problems.join("; "));
      throw new StalledError(reason, problems[0] as string);
    }
    if (changed && (status.conditions ?? []).find((c) => c.type === ConditionType.Ready)?.status !== "True")
      await options.events.record(object, "Normal", Reason.Succeeded, message);
  };
}

/** How many Integrations resolve to each version of this connector, from their status. */
function versionUsage(integrations: KubeObject[], kind: ConnectorKind, name: string): Map<string, number> {
  const usage = new Map<string, number>();
  for (const object of integrations) {
    const resolved = (object as Integration).status?.connector;
    if (!resolved?.version || resolved.name !== name || (resolved.kind ?? "ClusterConnector") !== kind)
      continue;
    usage.set(resolved.version, (usage.get(resolved.version) ?? 0) + 1);
  }
  return usage;
}

/** A revision holds the in-use finalizer exactly while some Integration resolves to its version. */
async function releaseOrHoldRevisions(
  client: KubeClient,
  revisions: KubeObject[],
  usage: Map<string, number>,
): Promise<void> {
  for (const revision of revisions) {
    const version = (revision.data as { version?: string } | undefined)?.version ?? "";
    const finalizers = revision.metadata.finalizers ?? [];
    const held = finalizers.indexOf(inUseFinalizer);
    const used = (usage.get(version) ?? 0) > 0;
    const path = `${revisionsPath(revision.metadata.namespace ?? "")}/${revision.metadata.name ?? ""}`;
    if (used && held < 0 && !revision.metadata.deletionTimestamp) {
      await client.request(
        "PATCH",
        path,
        finalizers.length > 0
          ? [{ op: "add", path: "/metadata/finalizers/-", value: inUseFinalizer }]
          : [{ op: "add", path: "/metadata/finalizers", value: [inUseFinalizer] }],
        "application/json-patch+json",
      );
    } else if (!used && held >= 0) {
      await client.request(
        "PATCH",
        path,
        [
          { op: "test", path: `/metadata/finalizers/${held}`, value: inUseFinalizer },
          { op: "remove", path: `/metadata/finalizers/${held}` },
        ],
        "application/json-patch+json",
      );
    }
  }
}

async function createRevision(client: KubeClient, revision: KubeObject): Promise<void> {
  try {
    await client.request("POST", revisionsPath(revision.metadata.namespace ?? ""), revision);
  } catch (error) {
    if (!isKubeApiError(error) || error.code !== 409) throw error;
    const name = revision.metadata.name ?? "";
    const live = await client.request<KubeObject>(
      "GET",
      `${revisionsPath(revision.metadata.namespace ?? "")}/${name}`,
    );
    const owner = revision.metadata.ownerReferences?.[0];
    if (live.metadata.ownerReferences?.some((r) => r.uid === owner?.uid)) return; // Ours, not cached yet.
    throw new StalledError(
      Reason.InvalidSpec,
      `ControllerRevision ${revision.metadata.namespace ?? ""}/${name} exists and belongs to something else: rename the connector or remove that object`,
    );
  }
}

/** Maturity and deprecation are mutable metadata on an installed version; keep them as the spec says. */
async function followMaturity(client: KubeClient, revision: KubeObject, spec: ConnectorSpec): Promise<void> {
  const wanted = revisionMetadata(spec);
  const labels = revision.metadata.labels ?? {};
  const annotations = revision.metadata.annotations ?? {};
  const same =
    Object.entries(wanted.labels).every(([k, v]) => labels[k] === v) &&
    Object.entries(wanted.annotations).every(([k, v]) => (annotations[k] ?? null) === v);
  if (same) return;
  await client.request(
    "PATCH",
    `${revisionsPath(revision.metadata.namespace ?? "")}/${revision.metadata.name ?? ""}?fieldManager=${fieldManager}`,
    { metadata: wanted },
    "application/merge-patch+json",
  );
}
