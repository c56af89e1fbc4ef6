import type { SchemaNode } from "../schema/structural-schema.js";

/**
 * How a field merges and is tracked, as structured-merge-diff reads it from a schema: structs and maps
 * are granular (each field tracked) unless atomic; lists are atomic unless `set` or `map` (keyed).
 */
export interface TypeNode {
  kind: "granular" | "atomic" | "list-atomic" | "list-set" | "list-map";
  /** Key fields of a `list-map`. */
  keys: string[];
  child(name: string): TypeNode;
  item(): TypeNode;
}

const granularUnknown: TypeNode = {
  kind: "granular",
  keys: [],
  child: () => granularUnknown,
  item: () => granularUnknown,
};

/** Type information from a CRD version's structural schema. */
export function typeFromSchema(node: SchemaNode | undefined): TypeNode {
  if (!node) return granularUnknown;
  const cache = new Map<string, TypeNode>();
  const kind: TypeNode["kind"] =
    node.type === "array"
      ? node.listType === "map"
        ? "list-map"
        : node.listType === "set"
          ? "list-set"
          : "list-atomic"
      : node.mapType === "atomic"
        ? "atomic"
        : "granular";
  return {
    kind,
    keys: node.listMapKeys,
    child: (name) => {
      let child = cache.get(name);
      if (!child) {
        const sub =
          node.properties?.get(name) ??
          (node.additionalProperties === true ? undefined : node.additionalProperties);
        child = sub
          ? typeFromSchema(sub)
          : node.preserveUnknownFields || node.additionalProperties === true
            ? granularUnknown
            : granularUnknown;
        cache.set(name, child);
      }
      return child;
    },
    item: () => (node.items ? typeFromSchema(node.items) : granularUnknown),
  };
}

const atomicList: TypeNode = {
  kind: "list-atomic",
  keys: [],
  child: () => granularUnknown,
  item: () => granularUnknown,
};

function listMap(keys: string[], item: TypeNode = builtinGranular([])): TypeNode {
  return { kind: "list-map", keys, child: () => granularUnknown, item: () => item };
}

const setList: TypeNode = {
  kind: "list-set",
  keys: [],
  child: () => granularUnknown,
  item: () => granularUnknown,
};

/**
 * Built-in kinds have no schema in this server: the list merge keys kube declares for the fields the
 * served kinds carry, by field name and the names above it; other lists are atomic.
 */
function builtinGranular(path: string[]): TypeNode {
  return {
    kind: "granular",
    keys: [],
    child: (name) => builtinField(name, path),
    item: () => builtinGranular(path),
  };
}

function builtinField(name: string, parents: string[]): TypeNode {
  const path = [...parents, name];
  const container = builtinGranular([...path, "[]"]);
  switch (name) {
    case "containers":
    case "initContainers":
    case "ephemeralContainers":
      return listMap(["name"], container);
    case "env":
    case "volumes":
    case "imagePullSecrets":
    case "hostAliases":
      return name === "hostAliases" ? listMap(["ip"], container) : listMap(["name"], container);
    case "volumeMounts":
      return listMap(["mountPath"], container);
    case "volumeDevices":
      return listMap(["devicePath"], container);
    case "conditions":
      return listMap(["type"], container);
    case "ports":
      return parents.includes("containers") || parents.includes("initContainers")
        ? listMap(["containerPort", "protocol"], container)
        : parents[0] === "spec" && parents.length === 1
          ? listMap(["port", "protocol"], container)
          : atomicList;
    case "topologySpreadConstraints":
      return listMap(["topologyKey", "whenUnsatisfiable"], container);
    default:
      return builtinGranular(path);
  }
}

/** The type of a whole object: its kind's body, plus the metadata fields every kind shares. */
export function objectType(body: TypeNode): TypeNode {
  return {
    kind: "granular",
    keys: [],
    child: (name) => (name === "metadata" ? metadataType : body.child(name)),
    item: () => body.item(),
  };
}

export function builtinType(): TypeNode {
  return objectType(builtinGranular([]));
}

const metadataType: TypeNode = {
  kind: "granular",
  keys: [],
  child: (name) => {
    if (name === "finalizers") return setList;
    if (name === "ownerReferences") return listMap(["uid"]);
    return granularUnknown;
  },
  item: () => granularUnknown,
};
