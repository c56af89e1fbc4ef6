import type { Integration } from "../api/types.js";
import { configProblems } from "../operator/controllers/integration-config.js";
import type { FieldProblem } from "./diagnostic.js";
import { flowProblems } from "./flow-problems.js";
import type { KnownConnector } from "./known-connectors.js";
import { connectorName, findConnector } from "./known-connectors.js";

/**
 * What the operator and the runtime would refuse in a schema-valid Integration, checked offline: its
 * connector is among the known ones in the version range, its config fits the connector's config
 * schema, its flows compile and target the connector's actions. A deprecated connector is a warning.
 * `searched` says where the connectors were looked for, for the message when its connector is not there.
 */
export function integrationProblems(
  integration: Integration,
  connectors: readonly KnownConnector[],
  searched: { catalog: boolean } | { where: string },
): FieldProblem[] {
  const namespace = integration.metadata.namespace ?? "default";
  const ref = integration.spec.connectorRef;
  const name = connectorName(ref, namespace);
  const lookup = findConnector(connectors, ref, namespace);
  if (!lookup.connector) {
    const where =
      "where" in searched
        ? searched.where
        : searched.catalog
          ? "the given files or the catalog"
          : "the given files (the catalog is off)";
    const hint =
      "where" in searched
        ? ": install it first"
        : `: pass the file that defines it${searched.catalog ? ", or --catalog <dir>" : ""}`;
    if (lookup.versions.length > 0)
      return [
        {
          path: "spec.connectorRef.version",
          message: `no version of ${name} in ${where} is in range "${ref.version ?? "*"}" (found ${lookup.versions.join(", ")})`,
        },
      ];
    return [
      {
        path: "spec.connectorRef.name",
        message: `${name} not found in ${where}${hint}`,
      },
    ];
  }
  const connector = lookup.connector.spec;
  const problems: FieldProblem[] = [];
  if (connector.maturity === "deprecated")
    problems.push({
      path: "spec.connectorRef",
      message: `${name} ${connector.version} is deprecated: ${connector.deprecation?.message ?? "no reason given"}`,
      severity: "warning",
    });
  try {
    problems.push(...configProblems(connector.configSchema, integration.spec.config));
  } catch (error) {
    problems.push({
      path: "spec.config",
      message: `the config schema of ${name} does not compile: ${(error as Error).message}`,
    });
  }
  problems.push(...flowProblems(integration, connector, name));
  return problems;
}
