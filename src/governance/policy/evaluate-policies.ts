import type { IntegrationPolicySpec, PolicyRule } from "../../api/types.js";
import { labelSelectorMatcher } from "../../apiserver/selectors/label-selector-object.js";
import { connectorChecks } from "./checks/connector-checks.js";
import { customConnectorChecks } from "./checks/custom-connector-checks.js";
import { integrationChecks } from "./checks/integration-checks.js";
import { labelAndCredentialChecks } from "./checks/label-and-credential-checks.js";
import type { Check, GovernedObject, PolicyContext } from "./governed-object.js";

export interface Policy {
  name: string;
  spec: IntegrationPolicySpec;
}

export interface Violation {
  policy: string;
  rule: string;
  enforcement: "deny" | "warn" | "audit";
  kind: GovernedObject["kind"];
  namespace: string | undefined;
  name: string;
  field: string;
  /** What is wrong and how to comply, naming the policy and the rule. */
  message: string;
}

/** Namespaces no policy ever checks: the cluster's own. */
export const systemNamespaces = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** Every check by the rule field that selects it. `personalData` is applied by the runtime, not checked. */
const checks: Record<string, Check> = {
  ...connectorChecks,
  ...integrationChecks,
  ...labelAndCredentialChecks,
  ...customConnectorChecks,
};

/**
 * Every violation of the policies that select the object: policies choose namespaces (cluster-scoped
 * objects are always in scope; system namespaces never) and objects by label; rules choose kinds.
 * Pure and synchronous: admission and the periodic audit both call it, from caches.
 */
export function evaluatePolicies(
  policies: readonly Policy[],
  object: GovernedObject,
  context: PolicyContext,
): Violation[] {
  if (object.namespace && systemNamespaces.has(object.namespace)) return [];
  const violations: Violation[] = [];
  for (const policy of policies) {
    if (!policySelects(policy.spec, object, context)) continue;
    for (const rule of policy.spec.rules) {
      if (rule.kinds && !rule.kinds.includes(object.kind)) continue;
      const check = Object.keys(checks).find((name) => rule[name as keyof PolicyRule] !== undefined);
      if (!check) continue;
      for (const failure of checks[check]?.(object, rule, context) ?? [])
        violations.push({
          policy: policy.name,
          rule: rule.name,
          enforcement: rule.enforcement ?? "deny",
          kind: object.kind,
          namespace: object.namespace,
          name: object.name,
          field: failure.field,
          message: `IntegrationPolicy ${policy.name}, rule ${rule.name}: ${failure.field}: ${failure.message}${rule.message ? `. ${rule.message}` : ""}`,
        });
    }
  }
  return violations;
}

/** Whether a policy is in force for an object: its namespace and object selectors. */
export function policySelects(
  spec: IntegrationPolicySpec,
  object: GovernedObject,
  context: PolicyContext,
): boolean {
  if (spec.objectSelector && !labelSelectorMatcher(spec.objectSelector)(object.labels)) return false;
  if (!object.namespace || !spec.namespaceSelector) return true;
  const labels = context.namespaceLabels(object.namespace) ?? {
    "kubernetes.io/metadata.name": object.namespace,
  };
  return labelSelectorMatcher(spec.namespaceSelector)(labels);
}
