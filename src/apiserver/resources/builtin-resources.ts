import type { PrinterColumn, ResourceType } from "./resource-type.js";
import { allVerbs } from "./resource-type.js";

/**
 * The built-in kinds the embedded server serves: the ones Switchboard's operator, webhook and local
 * executor read and write, plus what kubectl and client libraries touch on the way.
 */

type Builtin = Partial<ResourceType> & Pick<ResourceType, "group" | "version" | "kind" | "plural">;

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

function count(field: string) {
  return (object: Record<string, unknown>): number => {
    const value = object[field];
    return value && typeof value === "object" ? Object.keys(value).length : 0;
  };
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function path(object: Record<string, unknown>, ...keys: string[]): unknown {
  let value: unknown = object;
  for (const key of keys)
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

const builtins: Builtin[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    statusSubresource: true,
    nameValidation: "dns1123-label",
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }, age],
  },
  {
    group: "",
    version: "v1",
    kind: "Secret",
    plural: "secrets",
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Data", type: "integer", jsonPath: ".data", compute: count("data") },
      age,
    ],
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    shortNames: ["cm"],
    printerColumns: [
      {
        name: "Data",
        type: "integer",
        jsonPath: ".data",
        compute: (o) => count("data")(o) + count("binaryData")(o),
      },
      age,
    ],
  },
  {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    shortNames: ["svc"],
    categories: ["all"],
    statusSubresource: true,
    nameValidation: "dns1123-label",
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Cluster-IP", type: "string", jsonPath: ".spec.clusterIP" },
      {
        name: "Port(s)",
        type: "string",
        jsonPath: ".spec.ports",
        compute: (o) => {
          const ports = path(o, "spec", "ports");
          if (!Array.isArray(ports) || ports.length === 0) return "<none>";
          return ports
            .map(
              (p: Record<string, unknown>) =>
                `${String(p.port)}/${typeof p.protocol === "string" ? p.protocol : "TCP"}`,
            )
            .join(",");
        },
      },
      age,
    ],
  },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    shortNames: ["sa"],
    printerColumns: [age],
  },
  {
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    storageKey: "events",
    nameValidation: "path-segment",
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Reason", type: "string", jsonPath: ".reason" },
      {
        name: "Object",
        type: "string",
        jsonPath: ".involvedObject",
        compute: (o) =>
          `${text(path(o, "involvedObject", "kind")).toLowerCase()}/${text(path(o, "involvedObject", "name"))}`,
      },
      { name: "Message", type: "string", jsonPath: ".message" },
      age,
    ],
  },
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    storageKey: "events",
    storageVersion: "v1",
    nameValidation: "path-segment",
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Reason", type: "string", jsonPath: ".reason" },
      { name: "Note", type: "string", jsonPath: ".note" },
      age,
    ],
  },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    shortNames: ["deploy"],
    categories: ["all"],
    statusSubresource: true,
    tracksGeneration: true,
    printerColumns: [
      {
        name: "Ready",
        type: "string",
        jsonPath: ".status.readyReplicas",
        compute: (o) =>
          `${Number(path(o, "status", "readyReplicas") ?? 0)}/${Number(path(o, "spec", "replicas") ?? 1)}`,
      },
      { name: "Up-to-date", type: "integer", jsonPath: ".status.updatedReplicas" },
      { name: "Available", type: "integer", jsonPath: ".status.availableReplicas" },
      age,
    ],
  },
  {
    group: "apps",
    version: "v1",
    kind: "ControllerRevision",
    plural: "controllerrevisions",
    printerColumns: [
      {
        name: "Controller",
        type: "string",
        jsonPath: ".metadata.ownerReferences",
        compute: (o) => {
          const refs = path(o, "metadata", "ownerReferences");
          const owner = Array.isArray(refs)
            ? (refs as Record<string, unknown>[]).find((r) => r.controller === true)
            : undefined;
          if (!owner) return "<none>";
          const group = text(owner.apiVersion).includes("/") ? text(owner.apiVersion).split("/")[0] : "";
          return `${text(owner.kind).toLowerCase()}${group ? `.${group}` : ""}/${text(owner.name)}`;
        },
      },
      { name: "Revision", type: "integer", jsonPath: ".revision" },
      age,
    ],
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    printerColumns: [{ name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" }, age],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    shortNames: ["netpol"],
    tracksGeneration: true,
    printerColumns: [
      {
        name: "Pod-Selector",
        type: "string",
        jsonPath: ".spec.podSelector",
        compute: (o) => {
          const labels = path(o, "spec", "podSelector", "matchLabels");
          if (!labels || typeof labels !== "object") return "<none>";
          return Object.entries(labels as Record<string, string>)
            .map(([k, v]) => `${k}=${v}`)
            .join(",");
        },
      },
      age,
    ],
  },
  {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    shortNames: ["pdb"],
    statusSubresource: true,
    tracksGeneration: true,
    printerColumns: [
      { name: "Min Available", type: "string", jsonPath: ".spec.minAvailable" },
      { name: "Max Unavailable", type: "string", jsonPath: ".spec.maxUnavailable" },
      { name: "Allowed Disruptions", type: "integer", jsonPath: ".status.disruptionsAllowed" },
      age,
    ],
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    shortNames: ["crd", "crds"],
    namespaced: false,
    statusSubresource: true,
    tracksGeneration: true,
    printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  },
  // RBAC objects are stored and served, not enforced: every authenticated user may do anything.
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
    printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
    printerColumns: [{ name: "Role", type: "string", jsonPath: ".roleRef.name" }, age],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    plural: "roles",
    printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    printerColumns: [{ name: "Role", type: "string", jsonPath: ".roleRef.name" }, age],
  },
  {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "ValidatingWebhookConfiguration",
    plural: "validatingwebhookconfigurations",
    namespaced: false,
    tracksGeneration: true,
    printerColumns: [
      { name: "Webhooks", type: "integer", jsonPath: ".webhooks", compute: length("webhooks") },
      age,
    ],
  },
  {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "MutatingWebhookConfiguration",
    plural: "mutatingwebhookconfigurations",
    namespaced: false,
    tracksGeneration: true,
    printerColumns: [
      { name: "Webhooks", type: "integer", jsonPath: ".webhooks", compute: length("webhooks") },
      age,
    ],
  },
];

function length(field: string) {
  return (object: Record<string, unknown>): number => {
    const value = object[field];
    return Array.isArray(value) ? value.length : 0;
  };
}

export function builtinResources(): ResourceType[] {
  return builtins.map((b) => ({
    listKind: `${b.kind}List`,
    singular: b.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    statusSubresource: false,
    tracksGeneration: false,
    nameValidation: "dns1123-subdomain",
    printerColumns: [age],
    selectableFields: [],
    storageKey: b.group ? `${b.plural}.${b.group}` : b.plural,
    storageVersion: b.group ? `${b.group}/${b.version}` : b.version,
    ...b,
  }));
}
