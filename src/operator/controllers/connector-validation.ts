import jsonata from "jsonata";
import type { ConnectorSpec } from "../../api/types.js";

/** One problem of a connector spec: the field at fault (`spec.actions[0].body`) and what is wrong. */
export interface ConnectorProblem {
  path: string;
  message: string;
}

/**
 * Checks on a connector spec that its schema cannot express: JSONata expressions compile, templates
 * name fields the config and input schemas define, actions name auth schemes that exist, the health
 * check names an action, and a literal base URL's host is among the egress hosts. Returns the problems
 * as `<field>: <message>`, first problem first.
 */
export function connectorProblems(spec: ConnectorSpec): string[] {
  return connectorFieldProblems(spec).map(({ path, message }) => `${path}: ${message}`);
}

/** The problems `connectorProblems` describes, each with its field apart from its message. */
export function connectorFieldProblems(spec: ConnectorSpec): ConnectorProblem[] {
  const problems: ConnectorProblem[] = [];
  const configFields = schemaFields(spec.configSchema);
  const checkTemplate = (field: string, template: string | undefined, inputFields?: Set<string>): void => {
    if (!template) return;
    for (const [, scope, name] of template.matchAll(/\{(config|input)\.([A-Za-z0-9_]+)\}/g)) {
      const known = scope === "config" ? configFields : inputFields;
      if (known && !known.has(name as string)) {
        problems.push({
          path: field,
          message: `{${scope}.${name}} names a field the ${scope === "config" ? "configSchema" : "inputSchema"} does not define`,
        });
      }
    }
  };
  const checkExpression = (field: string, expression: string | undefined): void => {
    if (!expression) return;
    try {
      jsonata(expression);
    } catch (error) {
      const { message, position } = error as { message?: string; position?: number };
      problems.push({
        path: field,
        message: `the JSONata expression does not compile: ${message ?? String(error)}${position !== undefined ? ` (at character ${position})` : ""}`,
      });
    }
  };

  checkTemplate("spec.baseURL", spec.baseURL);
  const authNames = new Set((spec.auth ?? []).map((a) => a.name));
  for (const [i, action] of (spec.actions ?? []).entries()) {
    const field = `spec.actions[${i}]`;
    const inputFields = schemaFields(action.inputSchema);
    checkTemplate(`${field}.path`, action.path, inputFields);
    checkExpression(`${field}.body`, action.body);
    checkExpression(`${field}.output`, action.output);
    if (action.authScheme && !authNames.has(action.authScheme)) {
      problems.push({
        path: `${field}.authScheme`,
        message: `"${action.authScheme}" is not one of the connector's auth schemes (${[...authNames].join(", ") || "none"})`,
      });
    }
  }
  for (const [i, mapping] of (spec.normalization?.ocsf ?? []).entries())
    checkExpression(`spec.normalization.ocsf[${i}].mapping`, mapping.mapping);
  checkExpression("spec.webhook.eventType.jsonPath", spec.webhook?.eventType?.jsonPath);
  const healthCheck = spec.healthCheck?.action;
  if (healthCheck && !(spec.actions ?? []).some((a) => a.name === healthCheck)) {
    problems.push({
      path: "spec.healthCheck.action",
      message: `"${healthCheck}" is not one of the connector's actions`,
    });
  }
  const host = literalHost(spec.baseURL);
  if (
    host &&
    spec.egressHosts &&
    spec.egressHosts.length > 0 &&
    !spec.egressHosts.some((pattern) => hostMatches(pattern, host))
  ) {
    problems.push({
      path: "spec.baseURL",
      message: `host "${host}" is not among spec.egressHosts (${spec.egressHosts.join(", ")})`,
    });
  }
  return problems;
}

/** Property names a JSON Schema object defines, or undefined when it does not constrain them. */
function schemaFields(schema: { [k: string]: unknown } | undefined): Set<string> | undefined {
  const properties = schema?.properties;
  return properties && typeof properties === "object" ? new Set(Object.keys(properties)) : undefined;
}

function literalHost(url: string | undefined): string | undefined {
  if (!url || url.includes("{")) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}
