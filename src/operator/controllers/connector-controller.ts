import type { Logger } from "pino";
import { ConditionType, Reason } from "../../api/conditions.js";
import type { Condition, ConnectorSpec, ConnectorStatus } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { setCondition, removeCondition } from "../controller/conditions.js";
import { StalledError } from "../controller/reconcile-errors.js";
import { collectionPath, writeStatus } from "../controller/status-writer.js";
import type { EventRecorder } from "../events/event-recorder.js";
import type { KubeClient } from "../kube/kube-client.js";
import { connectorProblems } from "./connector-validation.js";

export interface ConnectorReconcilerOptions {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  /** `clusterconnectors` or `connectors`. */
  plural: "clusterconnectors" | "connectors";
}

/**
 * Reconciles a ClusterConnector or Connector: checks the definition beyond its schema and reports
 * the outcome as `Ready` (with `Stalled` while a person must fix the spec), once, at the end.
 */
export function connectorReconciler(options: ConnectorReconcilerOptions) {
  return async (_key: string, object: KubeObject | undefined): Promise<void> => {
    if (!object || object.metadata.deletionTimestamp) return;
    const spec = object.spec as ConnectorSpec;
    const status = (object.status ?? {}) as ConnectorStatus;
    const generation = object.metadata.generation;
    const now = new Date();
    const problems = connectorProblems(spec);
    let conditions: Condition[] = status.conditions ?? [];
    if (problems.length === 0) {
      conditions = setCondition(
        conditions,
        {
          type: ConditionType.Ready,
          status: "True",
          reason: Reason.Succeeded,
          message: `${spec.displayName} ${spec.version} is valid`,
        },
        generation,
        now,
      );
      conditions = removeCondition(conditions, ConditionType.Stalled);
    } else {
      const message =
        problems.length === 1 ? (problems[0] as string) : `${problems[0]} (and ${problems.length - 1} more)`;
      conditions = setCondition(
        conditions,
        { type: ConditionType.Ready, status: "False", reason: Reason.InvalidSpec, message },
        generation,
        now,
      );
      conditions = setCondition(
        conditions,
        { type: ConditionType.Stalled, status: "True", reason: Reason.InvalidSpec, message },
        generation,
        now,
      );
    }
    const next: ConnectorStatus = {
      ...status,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      conditions,
    };
    const path = collectionPath(object.apiVersion, options.plural, object.metadata.namespace);
    const changed = await writeStatus(options.client, path, object, next as Record<string, unknown>);
    if (problems.length > 0) {
      if (changed) await options.events.record(object, "Warning", Reason.InvalidSpec, problems.join("; "));
      throw new StalledError(Reason.InvalidSpec, problems[0] as string);
    }
    if (changed && (status.conditions ?? []).find((c) => c.type === ConditionType.Ready)?.status !== "True") {
      await options.events.record(
        object,
        "Normal",
        Reason.Succeeded,
        `${spec.displayName} ${spec.version} is valid`,
      );
    }
  };
}
