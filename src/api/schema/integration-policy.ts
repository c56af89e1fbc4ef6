import { conditions, observedGeneration } from "./conditions.js";
import { enforcements, governedKinds } from "./enumerations.js";
import { labelSelector } from "./label-selector.js";
import { policyRule } from "./policy-rules.js";
import type { Schema } from "./schema-builders.js";
import { array, enumeration, integer, keyedList, named, object, string } from "./schema-builders.js";

export const integrationPolicySpec: Schema = named(
  "IntegrationPolicySpec",
  object(
    "Governance rules over Switchboard objects, checked at admission and by a periodic audit.",
    {
      namespaceSelector: labelSelector(
        "The namespaces the policy applies to (cluster-scoped objects are always in scope). System namespaces are never checked.",
      ),
      objectSelector: labelSelector("The objects the policy applies to, by their labels."),
      rules: keyedList("The rules.", policyRule, ["name"], { minItems: 1, maxItems: 64 }),
    },
    ["rules"],
  ),
);

const violation = named(
  "PolicyViolation",
  object(
    "One violation found by the audit.",
    {
      kind: enumeration("The object's kind.", governedKinds),
      namespace: string("The object's namespace; empty for cluster-scoped objects.", { maxLength: 63 }),
      name: string("The object's name.", { maxLength: 253 }),
      rule: string("The rule it breaks.", { maxLength: 63 }),
      enforcement: enumeration("The rule's enforcement.", enforcements),
      field: string("The field at fault, e.g. `spec.connectorRef.name`.", { maxLength: 512 }),
      message: string("What is wrong and how to comply.", { maxLength: 2048 }),
    },
    ["kind", "name", "rule", "enforcement", "message"],
  ),
);

export const integrationPolicyStatus: Schema = named(
  "IntegrationPolicyStatus",
  object("The observed state of the policy, with what the last audit found.", {
    observedGeneration,
    conditions,
    audit: named(
      "PolicyAudit",
      object("The last audit of existing objects.", {
        lastRunTime: string("When it finished.", { format: "date-time" }),
        totalViolations: integer("Violations found, all listed or not.", { minimum: 0, format: "int32" }),
        violations: array("The first violations found.", violation, {
          maxItems: 50,
          "x-kubernetes-list-type": "atomic",
        }),
      }),
    ),
  }),
);
