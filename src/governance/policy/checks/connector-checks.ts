import { satisfies } from "semver";
import type { IntegrationSpec } from "../../../api/types.js";
import type { Check, CheckFailure } from "../governed-object.js";
import { globMatch } from "../governed-object.js";

const maturityOrder = ["experimental", "beta", "stable"];

/** Which connector an Integration uses: allowed and denied names, categories, maturity, versions. */
export const connectorChecks: Record<string, Check> = {
  connectors: (object, rule) => {
    if (object.kind !== "Integration" || !rule.connectors) return [];
    const name = (object.spec as IntegrationSpec).connectorRef.name;
    return allowDeny(name, rule.connectors, "spec.connectorRef.name", `connector ${name}`);
  },

  categories: (object, rule, context) => {
    if (object.kind !== "Integration" || !rule.categories) return [];
    const connector = context.connectorOf(object.namespace ?? "", object.spec as IntegrationSpec);
    if (!connector) return [];
    return allowDeny(
      connector.spec.category,
      rule.categories,
      "spec.connectorRef.name",
      `connector ${connector.name} (category ${connector.spec.category})`,
    );
  },

  minimumMaturity: (object, rule, context) => {
    if (object.kind !== "Integration" || !rule.minimumMaturity) return [];
    const connector = context.connectorOf(object.namespace ?? "", object.spec as IntegrationSpec);
    if (!connector) return [];
    const maturity = connector.spec.maturity ?? "experimental";
    const below =
      maturity === "deprecated" ||
      maturityOrder.indexOf(maturity) < maturityOrder.indexOf(rule.minimumMaturity);
    return below
      ? [
          {
            field: "spec.connectorRef.name",
            message: `connector ${connector.name} is ${maturity}; connectors must be at least ${rule.minimumMaturity}: use a more mature connector or version`,
          },
        ]
      : [];
  },

  connectorVersions: (object, rule, context) => {
    if (object.kind !== "Integration" || !rule.connectorVersions) return [];
    const connector = context.connectorOf(object.namespace ?? "", object.spec as IntegrationSpec);
    if (!connector?.version) return [];
    const failures: CheckFailure[] = [];
    for (const allowed of rule.connectorVersions) {
      if (!globMatch(allowed.connector, connector.name)) continue;
      if (!satisfies(connector.version, allowed.range, { includePrerelease: true }))
        failures.push({
          field: "spec.connectorRef.version",
          message: `connector ${connector.name} resolves to ${connector.version}, outside the allowed range ${allowed.range}: set spec.connectorRef.version to a range within it`,
        });
    }
    return failures;
  },
};

function allowDeny(
  value: string,
  lists: { allowed?: string[]; denied?: string[] },
  field: string,
  what: string,
): CheckFailure[] {
  if (lists.denied?.some((glob) => globMatch(glob, value))) return [{ field, message: `${what} is denied` }];
  if (lists.allowed && !lists.allowed.some((glob) => globMatch(glob, value)))
    return [{ field, message: `${what} is not allowed; allowed: ${lists.allowed.join(", ")}` }];
  return [];
}
