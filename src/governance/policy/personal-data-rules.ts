import type { PersonalDataRules } from "../../runtime/flows/personal-data.js";
import type { Policy } from "./evaluate-policies.js";
import { policySelects, systemNamespaces } from "./evaluate-policies.js";
import type { GovernedObject, PolicyContext } from "./governed-object.js";

/**
 * The fields an Integration's runtime must take out of events: every `personalData` rule of the
 * policies in force for it whose classification label and values match the Integration's labels,
 * merged. Undefined when none applies.
 */
export function personalDataRules(
  policies: readonly Policy[],
  integration: GovernedObject,
  context: PolicyContext,
): PersonalDataRules | undefined {
  if (integration.namespace && systemNamespaces.has(integration.namespace)) return undefined;
  const redact = new Set<string>();
  const drop = new Set<string>();
  for (const policy of policies) {
    if (!policySelects(policy.spec, integration, context)) continue;
    for (const rule of policy.spec.rules) {
      const data = rule.personalData;
      if (!data || (rule.kinds && !rule.kinds.includes("Integration"))) continue;
      const value = integration.labels[data.classificationLabel ?? "switchboard.dev/data-classification"];
      if (value === undefined || !(data.classifications ?? ["personal"]).includes(value)) continue;
      for (const path of data.redact ?? []) redact.add(path);
      for (const path of data.drop ?? []) drop.add(path);
    }
  }
  return redact.size + drop.size === 0 ? undefined : { redact: [...redact].sort(), drop: [...drop].sort() };
}
