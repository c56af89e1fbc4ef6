import type { IntegrationSpec } from "../../../api/types.js";
import { labelSelectorMatcher } from "../../../apiserver/selectors/label-selector-object.js";
import type { Check } from "../governed-object.js";
import { globMatch } from "../governed-object.js";

/** Where namespaced Connectors may be defined and used. */
export const customConnectorChecks: Record<string, Check> = {
  customConnectors: (object, rule, context) => {
    const allowed = rule.customConnectors;
    if (!allowed || !object.namespace) return [];
    const usesCustom =
      (object.kind === "Integration" && (object.spec as IntegrationSpec).connectorRef.kind === "Connector") ||
      object.kind === "Connector";
    if (!usesCustom) return [];
    const namespace = object.namespace;
    const byName = (allowed.namespaces ?? []).some((glob) => globMatch(glob, namespace));
    const labels = context.namespaceLabels(namespace) ?? {};
    const bySelector = allowed.namespaceSelector
      ? labelSelectorMatcher(allowed.namespaceSelector)(labels)
      : false;
    if (byName || bySelector) return [];
    return [
      {
        field: object.kind === "Integration" ? "spec.connectorRef.kind" : "metadata.namespace",
        message: `namespace ${namespace} may not ${object.kind === "Integration" ? "use" : "define"} namespaced Connectors: use a ClusterConnector, or ask for the namespace to be allowed`,
      },
    ];
  },
};
