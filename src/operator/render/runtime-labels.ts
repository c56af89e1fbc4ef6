/** On every object the operator creates; its informers select on it. */
export const managedBy = { "app.kubernetes.io/managed-by": "switchboard-operator" } as const;

/** The labels every object of one Integration's runtime carries; the first two select its pods. */
export function runtimeLabels(integration: string, connector: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "switchboard-runtime",
    "app.kubernetes.io/instance": integration,
    ...managedBy,
    "app.kubernetes.io/part-of": "switchboard",
    "switchboard.dev/integration": integration,
    "switchboard.dev/connector": connector,
  };
}

export function runtimeSelector(integration: string): Record<string, string> {
  return { "app.kubernetes.io/name": "switchboard-runtime", "app.kubernetes.io/instance": integration };
}
