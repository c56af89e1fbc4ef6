import { describe, expect, it } from "vitest";
import type { Policy } from "./evaluate-policies.js";
import type { GovernedObject, PolicyContext } from "./governed-object.js";
import { personalDataRules } from "./personal-data-rules.js";

const context: PolicyContext = {
  namespaceLabels: (ns) => ({ "kubernetes.io/metadata.name": ns }),
  connectorOf: () => undefined,
  credential: () => undefined,
};
const integration = (labels: Record<string, string>, namespace = "team-a"): GovernedObject => ({
  kind: "Integration",
  namespace,
  name: "crm",
  labels,
  spec: { connectorRef: { name: "crm" } },
});
const policies: Policy[] = [
  {
    name: "gdpr",
    spec: { rules: [{ name: "minimise", personalData: { redact: ["**.email"], drop: ["**.ssn"] } }] },
  },
  {
    name: "hr",
    spec: {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hr" } },
      rules: [
        {
          name: "hr-data",
          personalData: {
            classificationLabel: "class",
            classifications: ["hr", "personal"],
            drop: ["**.salary"],
          },
        },
      ],
    },
  },
];

describe("personal data rules in force for an Integration", () => {
  it("apply by classification label and value, merged across the policies that select it", () => {
    expect(
      personalDataRules(
        policies,
        integration({ "switchboard.dev/data-classification": "personal" }),
        context,
      ),
    ).toEqual({
      redact: ["**.email"],
      drop: ["**.ssn"],
    });
    expect(
      personalDataRules(
        policies,
        integration({ "switchboard.dev/data-classification": "personal", class: "hr" }, "hr"),
        context,
      ),
    ).toEqual({ redact: ["**.email"], drop: ["**.salary", "**.ssn"] });
  });

  it("do not apply to other classifications, or in system namespaces", () => {
    expect(
      personalDataRules(
        policies,
        integration({ "switchboard.dev/data-classification": "internal" }),
        context,
      ),
    ).toBeUndefined();
    expect(personalDataRules(policies, integration({}), context)).toBeUndefined();
    expect(
      personalDataRules(
        policies,
        integration({ "switchboard.dev/data-classification": "personal" }, "kube-system"),
        context,
      ),
    ).toBeUndefined();
  });
});
