import * as k8s from "@kubernetes/client-node";

type Attribute = { name: string; baseName: string; type: string };
type Model = { getAttributeTypeMap(): Attribute[] };

/** The client-node model of a built-in kind (generated from Kubernetes' OpenAPI), e.g. `V1Deployment`. */
const modelOf: Record<string, string> = {
  "v1/ServiceAccount": "V1ServiceAccount",
  "v1/Service": "V1Service",
  "v1/ConfigMap": "V1ConfigMap",
  "apps/v1/Deployment": "V1Deployment",
  "policy/v1/PodDisruptionBudget": "V1PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy": "V1NetworkPolicy",
  "rbac.authorization.k8s.io/v1/ClusterRole": "V1ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "V1ClusterRoleBinding",
  "rbac.authorization.k8s.io/v1/Role": "V1Role",
  "rbac.authorization.k8s.io/v1/RoleBinding": "V1RoleBinding",
  "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration": "V1ValidatingWebhookConfiguration",
};

/**
 * Checks an object against the Kubernetes OpenAPI schema of its kind, as client-node's generated
 * models carry it: every field known at its place, and of the right JSON type. Returns the problems
 * with their paths; undefined when the kind is not a built-in one this knows.
 */
export function kubernetesSchemaProblems(object: { apiVersion: string; kind: string }): string[] | undefined {
  const name = modelOf[`${object.apiVersion}/${object.kind}`];
  if (!name) return undefined;
  const problems: string[] = [];
  check(object, name, object.kind, problems);
  return problems;
}

function check(value: unknown, type: string, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
    else value.forEach((item, i) => check(item, array[1] ?? "any", `${path}[${i}]`, problems));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== "object" || Array.isArray(value)) problems.push(`${path}: expected a map`);
    else for (const [k, v] of Object.entries(value)) check(v, map[1] ?? "any", `${path}.${k}`, problems);
    return;
  }
  switch (type) {
    case "string":
    case "Date":
      if (typeof value !== "string")
        problems.push(`${path}: expected a string, not ${JSON.stringify(value)}`);
      return;
    case "number":
      if (typeof value !== "number")
        problems.push(`${path}: expected a number, not ${JSON.stringify(value)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean")
        problems.push(`${path}: expected a boolean, not ${JSON.stringify(value)}`);
      return;
    case "IntOrString":
      if (typeof value !== "string" && typeof value !== "number")
        problems.push(`${path}: expected an int or a string`);
      return;
    case "any":
    case "object":
      return;
  }
  const model = (k8s as unknown as Record<string, Model | undefined>)[type];
  if (!model?.getAttributeTypeMap) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  const attributes = model.getAttributeTypeMap();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) problems.push(`${path}.${key}: unknown field`);
    else check(child, attribute.type, `${path}.${key}`, problems);
  }
}
