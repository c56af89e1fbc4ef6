/** The API group and version of every Switchboard kind. */
export const group = "switchboard.dev";
export const version = "v1alpha1";
export const apiVersion = `${group}/${version}` as const;

export const kinds = [
  "Integration",
  "Connector",
  "ClusterConnector",
  "Credential",
  "IntegrationPolicy",
] as const;
export type SwitchboardKind = (typeof kinds)[number];

/** The prefix of Switchboard's labels, annotations and finalizers. */
export const domain = group;
