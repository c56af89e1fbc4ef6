import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { customResourceDefinitions } from "../../src/api/custom-resource-definitions.js";
import { EmbeddedApiServer } from "../../src/apiserver/embedded-api-server.js";
import type { KubeObject } from "../../src/apiserver/types.js";
import { loadManifests } from "../../src/manifests/load-manifests.js";
import { KubeClient } from "../../src/operator/kube/kube-client.js";
import type { OperatorOptions } from "../../src/operator/operator.js";
import { Operator } from "../../src/operator/operator.js";

export interface OperatorFixture {
  server: EmbeddedApiServer;
  client: KubeClient;
  core: CoreV1Api;
  operator: Operator;
  /** A kubeconfig for the API server, e.g. for a second operator. */
  kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * The embedded API server with Switchboard's CRDs, the given manifest files stored in it (namespaced
 * objects in `default`), the operator's namespace `switchboard-system`, and one operator (no leader
 * election) running against it.
 */
export async function startOperatorFixture(
  manifests: string[] = [],
  options: Partial<OperatorOptions> = {},
): Promise<OperatorFixture> {
  const server = new EmbeddedApiServer({
    crds: customResourceDefinitions() as unknown as KubeObject[],
    namespaces: ["switchboard-system"],
  });
  const kubeConfig = new KubeConfig();
  const { kubeconfig } = await server.start();
  kubeConfig.loadFromString(kubeconfig);
  for (const { object } of manifests.length > 0 ? await loadManifests(manifests) : []) {
    const type = server.registry.lookupKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`${object.apiVersion} ${object.kind} is not served`);
    await server.storage.create(type, type.namespaced ? "default" : undefined, object, {
      fieldManager: "kubectl",
    });
  }
  const operator = new Operator({
    kubeConfig,
    log: pino({ level: "silent" }),
    healthPort: 0,
    leaderElection: false,
    runtime: { image: "switchboard:test" },
    namespace: "switchboard-system",
    ...options,
  });
  await operator.start();
  return {
    server,
    client: new KubeClient(kubeConfig),
    core: kubeConfig.makeApiClient(CoreV1Api),
    operator,
    kubeconfig,
    stop: async () => {
      await operator.stop();
      await server.stop();
    },
  };
}
