/** A column of the server-side Table that `kubectl get` prints. */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description?: string;
  priority?: number;
  /** A simple JSONPath as CRDs write it: `.status.conditions[?(@.type=="Ready")].status`. */
  jsonPath: string;
  /** For built-in kinds whose columns are computed (`DATA` counts keys): takes precedence over jsonPath. */
  compute?: (object: Record<string, unknown>) => unknown;
}

/**
 * One served resource at one version: what discovery advertises and what the handlers need to know.
 * Built-in kinds are declared in `builtin-resources.ts`; custom resources are derived from CRDs.
 */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural resource name, the path segment: `configmaps`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** `status` subresource: spec ignored on `/status`, status ignored on the main resource. */
  statusSubresource: boolean;
  /** Whether `metadata.generation` is kept (bumped on every change outside metadata and status). */
  tracksGeneration: boolean;
  /** How `metadata.name` is validated. */
  nameValidation: "dns1123-subdomain" | "dns1123-label" | "path-segment";
  printerColumns: PrinterColumn[];
  /** Extra fields selectable with `fieldSelector` beyond `metadata.name` and `metadata.namespace`. */
  selectableFields: string[];
  /**
   * Objects of every served version of one group/resource share one store, as in etcd: this is its key.
   * For built-ins that kube stores together (core and events.k8s.io Events) the key is shared too.
   */
  storageKey: string;
  /** The apiVersion objects are kept in, for resources served at several versions. */
  storageVersion: string;
  /** The name of the CRD that defines this resource, for custom resources. */
  definedBy?: string;
  /** The CRD version's `openAPIV3Schema`, for custom resources: OpenAPI, explain, apply and validation read it. */
  schema?: Record<string, unknown>;
}

export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Whether this served version is the one objects are stored at (the one in-process controllers write through). */
export function isStorageVersion(type: ResourceType): boolean {
  return apiVersionOf(type) === type.storageVersion;
}

/** `configmaps` or `integrations.switchboard.dev`, as errors and messages name a resource. */
export function groupResourceOf(type: { group: string; plural: string }): {
  group: string;
  resource: string;
} {
  return { group: type.group, resource: type.plural };
}

export const allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
