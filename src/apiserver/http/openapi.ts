import { createHash } from "node:crypto";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";

/**
 * OpenAPI v3 documents per group/version (`/openapi/v3` and `/openapi/v3/apis/{group}/{version}`), enough
 * for `kubectl explain` (custom resources get their full schema and descriptions) and for kubectl's
 * check that the server supports `fieldValidation`. Built-in kinds get a minimal schema.
 */
export class OpenApi {
  #generation = -1;
  #documents = new Map<string, { body: string; hash: string }>();

  constructor(readonly registry: ResourceRegistry) {}

  index(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [path, doc] of this.#all())
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
    return { paths };
  }

  /** The serialized document for `api/v1` or `apis/{group}/{version}`. */
  document(path: string): string | undefined {
    return this.#all().get(path)?.body;
  }

  #all(): Map<string, { body: string; hash: string }> {
    if (this.#generation === this.registry.generation) return this.#documents;
    const byPath = new Map<string, ResourceType[]>();
    for (const type of this.registry.all()) {
      const path = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
      byPath.set(path, [...(byPath.get(path) ?? []), type]);
    }
    const documents = new Map<string, { body: string; hash: string }>();
    for (const [path, types] of byPath) {
      const body = JSON.stringify(buildDocument(types));
      documents.set(path, {
        body,
        hash: createHash("sha512").update(body).digest("hex").slice(0, 128).toUpperCase(),
      });
    }
    this.#documents = documents;
    this.#generation = this.registry.generation;
    return documents;
  }
}

const objectMetaRef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

function definitionName(type: ResourceType): string {
  const group = type.group ? type.group.split(".").reverse().join(".") : "io.k8s.api.core";
  return `${group}.${type.version}.${type.kind}`;
}

function buildDocument(types: ResourceType[]): unknown {
  const schemas: Record<string, unknown> = { [objectMetaRef]: objectMetaSchema };
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const gvk = [{ group: type.group, version: type.version, kind: type.kind }];
    const root = type.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    const properties = { ...((root.properties as Record<string, unknown> | undefined) ?? {}) };
    properties.apiVersion = {
      type: "string",
      description: "APIVersion defines the versioned schema of this representation of an object.",
    };
    properties.kind = {
      type: "string",
      description: "Kind is a string value representing the REST resource this object represents.",
    };
    properties.metadata = {
      description: "Standard object's metadata.",
      allOf: [{ $ref: `#/components/schemas/${objectMetaRef}` }],
    };
    schemas[definitionName(type)] = { ...root, properties, "x-kubernetes-group-version-kind": gvk };
    schemas[`${definitionName(type)}List`] = {
      type: "object",
      description: `${type.kind}List is a list of ${type.kind}`,
      required: ["items"],
      properties: {
        items: { type: "array", items: { $ref: `#/components/schemas/${definitionName(type)}` } },
      },
      "x-kubernetes-group-version-kind": [
        { group: type.group, version: type.version, kind: `${type.kind}List` },
      ],
    };
    const prefix = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    const collection = type.namespaced
      ? `${prefix}/namespaces/{namespace}/${type.plural}`
      : `${prefix}/${type.plural}`;
    const ref = { $ref: `#/components/schemas/${definitionName(type)}` };
    const response = { "200": { description: "OK", content: { "application/json": { schema: ref } } } };
    const writeParams = ["dryRun", "fieldManager", "fieldValidation"].map((name) => ({
      name,
      in: "query",
      schema: { type: "string" },
    }));
    paths[collection] = {
      get: {
        operationId: `list${type.kind}`,
        responses: response,
        "x-kubernetes-action": "list",
        "x-kubernetes-group-version-kind": gvk[0],
      },
      post: {
        operationId: `create${type.kind}`,
        parameters: writeParams,
        responses: response,
        "x-kubernetes-action": "post",
        "x-kubernetes-group-version-kind": gvk[0],
      },
    };
    paths[`${collection}/{name}`] = {
      get: {
        operationId: `read${type.kind}`,
        responses: response,
        "x-kubernetes-action": "get",
        "x-kubernetes-group-version-kind": gvk[0],
      },
      put: {
        operationId: `replace${type.kind}`,
        parameters: writeParams,
        responses: response,
        "x-kubernetes-action": "put",
        "x-kubernetes-group-version-kind": gvk[0],
      },
      patch: {
        operationId: `patch${type.kind}`,
        parameters: [...writeParams, { name: "force", in: "query", schema: { type: "boolean" } }],
        responses: response,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk[0],
      },
      delete: {
        operationId: `delete${type.kind}`,
        responses: response,
        "x-kubernetes-action": "delete",
        "x-kubernetes-group-version-kind": gvk[0],
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas },
  };
}

const objectMetaSchema = {
  type: "object",
  description:
    "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
  properties: {
    name: { type: "string", description: "Name must be unique within a namespace." },
    generateName: {
      type: "string",
      description: "An optional prefix, used by the server, to generate a unique name.",
    },
    namespace: {
      type: "string",
      description: "Namespace defines the space within which each name must be unique.",
    },
    labels: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Map of string keys and values that can be used to organize and categorize objects.",
    },
    annotations: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Annotations is an unstructured key value map stored with a resource.",
    },
    uid: { type: "string", description: "UID is the unique in time and space value for this object." },
    resourceVersion: {
      type: "string",
      description: "An opaque value that represents the internal version of this object.",
    },
    generation: {
      type: "integer",
      format: "int64",
      description: "A sequence number representing a specific generation of the desired state.",
    },
    creationTimestamp: {
      type: "string",
      format: "date-time",
      description: "The time this object was created.",
    },
    deletionTimestamp: {
      type: "string",
      format: "date-time",
      description: "The time after which this resource will be deleted.",
    },
    finalizers: {
      type: "array",
      items: { type: "string" },
      "x-kubernetes-list-type": "set",
      description: "Must be empty before the object is deleted from the registry.",
    },
    ownerReferences: {
      type: "array",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      description: "List of objects depended by this object.",
    },
    managedFields: {
      type: "array",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      description: "Maps workflow-id and version to the set of fields that are managed by that workflow.",
    },
  },
};
