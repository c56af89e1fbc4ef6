import type { KubeObject } from "../types.js";
import type { ResourceType } from "./resource-type.js";
import { apiVersionOf } from "./resource-type.js";

/**
 * Objects are stored at one version and served at every version of their resource. Custom resources
 * use the `None` strategy (only apiVersion changes); Events are kept as core/v1 and served as
 * events.k8s.io/v1 with the field names of that API, as kube-apiserver does.
 */
export function toServedVersion(type: ResourceType, object: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(type);
  if (object.apiVersion === apiVersion) return object;
  if (type.group === "events.k8s.io") return coreToEventsV1(object);
  return { ...object, apiVersion };
}

export function toStorageVersion(type: ResourceType, object: KubeObject): KubeObject {
  if (object.apiVersion === type.storageVersion) return object;
  if (type.group === "events.k8s.io") return eventsV1ToCore(object);
  return { ...object, apiVersion: type.storageVersion };
}

const renames: [core: string, v1: string][] = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["reportingComponent", "reportingController"],
  ["source", "deprecatedSource"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
];

function coreToEventsV1(event: KubeObject): KubeObject {
  const converted: KubeObject = { ...event, apiVersion: "events.k8s.io/v1" };
  for (const [core, v1] of renames) {
    delete converted[core];
    if (event[core] !== undefined && event[core] !== "" && event[core] !== null) converted[v1] = event[core];
  }
  return converted;
}

function eventsV1ToCore(event: KubeObject): KubeObject {
  const converted: KubeObject = { ...event, apiVersion: "v1" };
  for (const [core, v1] of renames) {
    delete converted[v1];
    if (event[v1] !== undefined) converted[core] = event[v1];
  }
  return converted;
}
