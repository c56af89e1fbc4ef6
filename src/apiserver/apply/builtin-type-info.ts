import type { JsonMap } from "./json-value.js";
import type { MapType, ObjectType, TypeInfo } from "./type-model.js";
import { listOf, mapOf, objectMetaType, objectTypeOf, scalar, untypedStruct } from "./type-model.js";

/*
 * The built-in kinds this server serves carry no schema here. What server-side apply needs from their
 * OpenAPI is written out below: the list merge keys and set/atomic markers kube's types declare
 * (`+listType`, `+listMapKey`, `patchMergeKey`), the atomic structs and maps (`+structType=atomic`,
 * `+mapType=atomic`), and the maps. Fields not named are struct fields whose lists are atomic, which is
 * what kube's types say for nearly all of them.
 */

function struct(fields: Record<string, TypeInfo> = {}): MapType {
  return mapOf(fields, { elements: untypedStruct, elementsAreFields: true });
}

const atomicStruct = mapOf({}, { atomic: true, elements: untypedStruct, elementsAreFields: true });
const stringMap = mapOf({}, { elements: scalar });
const atomicStringMap = mapOf({}, { elements: scalar, atomic: true });

function keyed(keys: string[], items: TypeInfo, keyDefaults?: Record<string, unknown>): TypeInfo {
  return listOf("map", items, { keys, keyDefaults });
}

const atomicList = listOf("atomic", untypedStruct);
// metav1.LabelSelector, corev1.ObjectReference and LocalObjectReference are `+structType=atomic`.
const labelSelector = atomicStruct;
const objectReference = atomicStruct;
const conditions = keyed(["type"], struct());

const envVar = struct({
  valueFrom: struct({
    fieldRef: atomicStruct,
    resourceFieldRef: atomicStruct,
    configMapKeyRef: atomicStruct,
    secretKeyRef: atomicStruct,
  }),
});

const container = struct({
  ports: keyed(["containerPort", "protocol"], struct(), { protocol: "TCP" }),
  env: keyed(["name"], envVar),
  envFrom: atomicList,
  volumeMounts: keyed(["mountPath"], struct()),
  volumeDevices: keyed(["devicePath"], struct()),
  resources: struct({ limits: stringMap, requests: stringMap, claims: keyed(["name"], struct()) }),
});

const podSpec = struct({
  volumes: keyed(["name"], struct({ csi: struct({ volumeAttributes: stringMap }) })),
  initContainers: keyed(["name"], container),
  containers: keyed(["name"], container),
  ephemeralContainers: keyed(["name"], container),
  imagePullSecrets: keyed(["name"], atomicStruct),
  hostAliases: keyed(["ip"], struct()),
  topologySpreadConstraints: keyed(["topologyKey", "whenUnsatisfiable"], struct({ labelSelector })),
  resourceClaims: keyed(["name"], struct()),
  schedulingGates: keyed(["name"], struct()),
  tolerations: atomicList,
  readinessGates: atomicList,
  nodeSelector: atomicStringMap,
  overhead: stringMap,
  affinity: struct({
    nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicStruct }),
  }),
});

const podTemplateSpec = struct({ metadata: objectMetaType, spec: podSpec });

const webhook = struct({
  clientConfig: struct({ service: struct() }),
  rules: atomicList,
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
  admissionReviewVersions: atomicList,
  matchConditions: keyed(["name"], struct()),
});

/** metadata as Go's zero ObjectMeta serializes: kube starts a create's tracking from it. */
const zeroMeta = { creationTimestamp: null };

interface Builtin {
  fields: Record<string, TypeInfo>;
  zero: JsonMap;
}

const builtins: Record<string, Builtin> = {
  "/Namespace": {
    fields: { spec: struct({ finalizers: atomicList }), status: struct({ conditions }) },
    zero: { metadata: zeroMeta, spec: {}, status: {} },
  },
  "/ConfigMap": {
    fields: { data: stringMap, binaryData: stringMap },
    zero: { metadata: zeroMeta },
  },
  "/Secret": {
    fields: { data: stringMap, stringData: stringMap },
    zero: { metadata: zeroMeta },
  },
  "/Service": {
    fields: {
      spec: struct({
        ports: keyed(["port", "protocol"], struct(), { protocol: "TCP" }),
        selector: atomicStringMap,
      }),
      status: struct({ conditions, loadBalancer: struct({ ingress: atomicList }) }),
    },
    zero: { metadata: zeroMeta, spec: {}, status: { loadBalancer: {} } },
  },
  "/ServiceAccount": {
    fields: { secrets: keyed(["name"], objectReference), imagePullSecrets: atomicList },
    zero: { metadata: zeroMeta },
  },
  "/Event": {
    fields: { involvedObject: objectReference, related: objectReference },
    zero: {
      metadata: zeroMeta,
      involvedObject: {},
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    },
  },
  "events.k8s.io/Event": {
    fields: { regarding: objectReference, related: objectReference },
    zero: {
      metadata: zeroMeta,
      eventTime: null,
      regarding: {},
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    },
  },
  "apps/Deployment": {
    fields: {
      spec: struct({ selector: labelSelector, template: podTemplateSpec }),
      status: struct({ conditions }),
    },
    zero: {
      metadata: zeroMeta,
      spec: { selector: null, template: { metadata: zeroMeta, spec: { containers: null } }, strategy: {} },
      status: {},
    },
  },
  // `data` is a runtime.RawExtension: opaque to server-side apply, replaced as a whole.
  "apps/ControllerRevision": {
    fields: { data: atomicStruct },
    zero: { metadata: zeroMeta, data: null, revision: 0 },
  },
  "coordination.k8s.io/Lease": {
    fields: {},
    zero: { metadata: zeroMeta, spec: {} },
  },
  "networking.k8s.io/NetworkPolicy": {
    fields: {
      spec: struct({
        podSelector: labelSelector,
        ingress: atomicList,
        egress: atomicList,
        policyTypes: atomicList,
      }),
    },
    zero: { metadata: zeroMeta, spec: { podSelector: {} } },
  },
  "policy/PodDisruptionBudget": {
    fields: {
      spec: struct({ selector: labelSelector }),
      status: struct({ conditions, disruptedPods: stringMap }),
    },
    zero: {
      metadata: zeroMeta,
      spec: {},
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  "apiextensions.k8s.io/CustomResourceDefinition": {
    fields: {
      spec: struct({ names: struct(), versions: atomicList }),
      status: struct({ conditions, storedVersions: atomicList }),
    },
    zero: {
      metadata: zeroMeta,
      spec: { group: "", names: { plural: "", kind: "" }, scope: "", versions: null },
      status: { conditions: null, acceptedNames: { plural: "", kind: "" }, storedVersions: null },
    },
  },
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration": {
    fields: { webhooks: keyed(["name"], webhook) },
    zero: { metadata: zeroMeta },
  },
  "admissionregistration.k8s.io/MutatingWebhookConfiguration": {
    fields: { webhooks: keyed(["name"], webhook) },
    zero: { metadata: zeroMeta },
  },
};

const types = new Map<string, ObjectType>();

function builtinObject(builtin: Builtin): ObjectType {
  return objectTypeOf(builtin.fields, {
    zero: builtin.zero,
    elements: untypedStruct,
    elementsAreFields: true,
  });
}

const unknownKind = builtinObject({ fields: {}, zero: {} });

/**
 * Type information for a built-in kind (`""` is the core group). A kind not in the table gets the
 * parts every kind shares and struct fields with atomic lists everywhere else.
 */
export function builtinTypeInfo(group: string, kind: string): ObjectType {
  const key = `${group}/${kind}`;
  let type = types.get(key);
  if (!type) {
    const builtin = builtins[key];
    type = builtin ? builtinObject(builtin) : unknownKind;
    types.set(key, type);
  }
  return type;
}
