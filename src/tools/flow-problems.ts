import type { ConnectorSpec, Flow, Integration } from "../api/types.js";
import { compileFlows, flowContext } from "../runtime/flows/compile-flows.js";
import type { FieldProblem } from "./diagnostic.js";

const expressionParts = ["filter", "transform", "idempotencyKey"] as const;

/**
 * What in an Integration's flows its runtime would refuse or fail on with this connector: each
 * JSONata expression compiled as the runtime compiles it (so the message is the runtime's), a target
 * action the connector has, OCSF mappings for a flow that normalizes to OCSF.
 */
export function flowProblems(
  integration: Integration,
  connector: ConnectorSpec,
  connectorName: string,
): FieldProblem[] {
  const spec = integration.spec;
  const context = flowContext({
    namespace: integration.metadata.namespace ?? "default",
    name: integration.metadata.name ?? "",
    spec,
  });
  const compiles = (flows: Flow[]): string | undefined => {
    try {
      compileFlows({ ...spec, flows }, connector, context);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const problems: FieldProblem[] = [];
  // The connector's normalization is compiled with every flow: when it does not, no flow does.
  const normalization = compiles([]);
  if (normalization)
    problems.push({ path: "spec.connectorRef", message: `${connectorName}: ${normalization}` });
  const actions = (connector.actions ?? []).map((a) => a.name);
  for (const [i, flow] of (spec.flows ?? []).entries()) {
    for (const part of normalization ? [] : expressionParts) {
      if (!flow[part]) continue;
      // One expression at a time, so each that does not compile is reported at its own field.
      const alone: Flow = { ...flow, filter: undefined, transform: undefined, idempotencyKey: undefined };
      const message = compiles([{ ...alone, [part]: flow[part] }]);
      if (message) problems.push({ path: `spec.flows[${i}].${part}`, message });
    }
    const action = flow.target.action;
    if (action !== undefined && !actions.includes(action))
      problems.push({
        path: `spec.flows[${i}].target.action`,
        message: `"${action}" is not an action of ${connectorName} (${actions.length > 0 ? `its actions: ${actions.join(", ")}` : "it has none"})`,
      });
    if (flow.normalize === "ocsf" && (connector.normalization?.ocsf ?? []).length === 0)
      problems.push({
        path: `spec.flows[${i}].normalize`,
        message: `ocsf needs the connector's OCSF mappings and ${connectorName} has none`,
      });
  }
  return problems;
}
