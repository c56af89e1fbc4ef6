import * as yaml from "js-yaml";

export interface KubeconfigInput {
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate; absent for plain HTTP. */
  caPem?: string;
  contextName?: string;
  namespace?: string;
}

/** A kubeconfig that kubectl, client-go and @kubernetes/client-node accept as they are. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.contextName ?? "switchboard";
  return yaml.dump({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name,
        cluster: {
          server: input.server,
          ...(input.caPem
            ? { "certificate-authority-data": Buffer.from(input.caPem).toString("base64") }
            : {}),
        },
      },
    ],
    users: [{ name: `${name}-admin`, user: { token: input.token } }],
    contexts: [
      { name, context: { cluster: name, user: `${name}-admin`, namespace: input.namespace ?? "default" } },
    ],
    "current-context": name,
    preferences: {},
  });
}
