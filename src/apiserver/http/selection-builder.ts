import { ApiError } from "../api-error.js";
import type { ResourceType } from "../resources/resource-type.js";
import type { KubeObject } from "../types.js";
import type { Selection } from "./selection.js";

export function buildSelection(type: ResourceType, namespace: string | undefined, labelSelector: string, fieldSelector: string): Selection {
  const labels = labelSelector
    .split(",")
    .filter((p) => p.trim())
    .map((p) => {
      const [k, v] = p.split("=");
      if (v === undefined) throw ApiError.badRequest(`unable to parse requirement: ${p}`);
      return [k?.trim() ?? "", v.trim()] as const;
    });
  const fields = fieldSelector
    .split(",")
    .filter((p) => p.trim())
    .map((p) => {
      const [k, v] = p.split("=");
      if (k !== "metadata.name" && k !== "metadata.namespace") throw ApiError.badRequest(`field label not supported: ${k ?? ""}`);
      return [k, v ?? ""] as const;
    });
  const name = fields.find(([k]) => k === "metadata.name")?.[1];
  void type;
  return {
    namespace,
    name,
    matches: (object: KubeObject) =>
      (namespace === undefined || object.metadata.namespace === namespace) &&
      labels.every(([k, v]) => object.metadata.labels?.[k] === v) &&
      fields.every(([k, v]) => (k === "metadata.name" ? object.metadata.name : object.metadata.namespace) === v),
  };
}
