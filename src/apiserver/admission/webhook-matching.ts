import { admissionEnvironment } from "../schema/cel-library.js";
import { labelSelectorMatcher } from "../selectors/label-selector-object.js";
import type { LabelSelector } from "../selectors/label-selector-object.js";
import type { KubeObject } from "../types.js";

export interface RuleWithOperations {
  apiGroups?: string[];
  apiVersions?: string[];
  operations?: string[];
  resources?: string[];
  scope?: "Cluster" | "Namespaced" | "*";
}

export interface WebhookSpec {
  name: string;
  clientConfig: {
    url?: string;
    service?: { namespace: string; name: string; path?: string; port?: number };
    caBundle?: string;
  };
  rules?: RuleWithOperations[];
  failurePolicy?: "Fail" | "Ignore";
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects?: string;
  timeoutSeconds?: number;
  matchConditions?: { name: string; expression: string }[];
}

export interface AdmissionAttributes {
  operation: "CREATE" | "UPDATE" | "DELETE";
  group: string;
  version: string;
  resource: string;
  subresource: string | undefined;
  namespaced: boolean;
  namespace: string | undefined;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  /** The namespace's labels; undefined for cluster-scoped objects. */
  namespaceLabels: Record<string, string> | undefined;
}

const any = (list: string[] | undefined, value: string) =>
  !list || list.includes("*") || list.includes(value);

/** Whether one of the webhook's rules covers the request, as kube-apiserver matches them. */
export function rulesMatch(webhook: WebhookSpec, a: AdmissionAttributes): boolean {
  return (webhook.rules ?? []).some((rule) => {
    if (!any(rule.apiGroups, a.group) || !any(rule.apiVersions, a.version)) return false;
    if (!any(rule.operations, a.operation)) return false;
    const scope = rule.scope ?? "*";
    if (scope === "Cluster" && a.namespaced) return false;
    if (scope === "Namespaced" && !a.namespaced) return false;
    return (rule.resources ?? []).some((r) => resourceMatches(r, a.resource, a.subresource));
  });
}

// kube's resource patterns: "*" every resource (not subresources), "*/*" everything, "pods/*" every
// subresource of pods, "*/status" the status of every resource, "pods" or "pods/status" exactly.
function resourceMatches(pattern: string, resource: string, subresource: string | undefined): boolean {
  if (pattern === "*/*") return true;
  const [name = "", sub] = pattern.split("/", 2);
  if (sub === undefined) return subresource === undefined && (name === "*" || name === resource);
  if (subresource === undefined) return false;
  return (name === "*" || name === resource) && (sub === "*" || sub === subresource);
}

/** The namespace selector (cluster-scoped objects always match) and the object selector (new or old object). */
export function selectorsMatch(webhook: WebhookSpec, a: AdmissionAttributes): boolean {
  if (a.namespaced && webhook.namespaceSelector) {
    const labels = a.namespaceLabels ?? {};
    if (!labelSelectorMatcher(webhook.namespaceSelector)(labels)) return false;
  }
  if (webhook.objectSelector) {
    const matcher = labelSelectorMatcher(webhook.objectSelector);
    const labelsOf = (o: KubeObject | undefined) => o?.metadata.labels ?? {};
    if (!matcher(labelsOf(a.object)) && !matcher(labelsOf(a.oldObject))) return false;
  }
  return true;
}

const programs = new Map<string, ReturnType<typeof admissionEnvironment.parse>>();

/**
 * The webhook's matchConditions, all of which must be true. An expression that fails to compile or
 * to evaluate is an error, which the caller handles by the webhook's failure policy, as kube does.
 */
export function conditionsMatch(webhook: WebhookSpec, a: AdmissionAttributes, request: unknown): boolean {
  for (const condition of webhook.matchConditions ?? []) {
    let program = programs.get(condition.expression);
    if (!program) {
      program = admissionEnvironment.parse(condition.expression);
      programs.set(condition.expression, program);
    }
    const result = program({
      object: toDyn(a.object ?? null),
      oldObject: toDyn(a.oldObject ?? null),
      request: toDyn(request),
    }) as unknown;
    if (typeof result !== "boolean")
      throw new Error(`matchCondition ${condition.name} did not evaluate to a bool`);
    if (!result) return false;
  }
  return true;
}

/** JSON as CEL sees it: whole numbers are ints. */
function toDyn(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toDyn);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toDyn(v)]),
    );
  return value;
}
