import type { KubeObject } from "../types.js";
import { compareValues } from "./compare-values.js";
import type { FieldSet } from "./field-set.js";
import { goJson } from "./go-text.js";
import type { JsonMap } from "./json-value.js";
import { isMap } from "./json-value.js";
import { toFieldSet } from "./to-field-set.js";
import type { ObjectType } from "./type-model.js";

/**
 * kube's support for moving from client-side to server-side apply (fieldmanager `lastAppliedManager`
 * and `lastAppliedUpdater`). Only for the manager kubectl uses for server-side apply: others opt out.
 */
export const kubectlManager = "kubectl";
const annotation = "kubectl.kubernetes.io/last-applied-configuration";
/** kube's `TotalAnnotationSizeLimitB`. */
const annotationsLimit = 256 * 1024;

/**
 * The fields kubectl may take over from its own client-side apply without a conflict: those in the
 * last-applied configuration that still hold the values it applied.
 */
export function fieldsStillAsLastApplied(
  live: KubeObject,
  apiVersion: string,
  type: ObjectType,
): FieldSet | undefined {
  const text = live.metadata.annotations?.[annotation];
  if (typeof text !== "string" || text === "") return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    // An annotation that is not JSON allows nothing, as in kube.
    return undefined;
  }
  if (!isMap(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined;
  const problems: string[] = [];
  const applied = toFieldSet(lastApplied, type, problems);
  if (problems.length > 0) return undefined;
  const change = compareValues(lastApplied, live, type);
  return applied.difference(change.modified).difference(change.added).difference(change.removed);
}

/**
 * When the object keeps a last-applied annotation, kubectl's server-side apply rewrites it to the
 * configuration now applied, so a later client-side apply computes its patch from the right base.
 * Returns the object with the annotation set (a new object; the input is not changed).
 */
export function withLastAppliedSynced(merged: JsonMap, applied: KubeObject): JsonMap {
  const metadata = isMap(merged.metadata) ? merged.metadata : undefined;
  const annotations = isMap(metadata?.annotations) ? metadata.annotations : undefined;
  if (!metadata || !annotations || typeof annotations[annotation] !== "string") return merged;
  const { [annotation]: _previous, ...others } = applied.metadata.annotations ?? {};
  const configuration: JsonMap = { ...applied, metadata: { ...applied.metadata, annotations: others } };
  if (Object.keys(others).length === 0) delete (configuration.metadata as JsonMap).annotations;
  const updated: JsonMap = { ...annotations, [annotation]: `${goJson(configuration)}\n` };
  let size = 0;
  for (const [key, value] of Object.entries(updated))
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  if (size > annotationsLimit) delete updated[annotation];
  return { ...merged, metadata: { ...metadata, annotations: updated } };
}
