import type { Integration } from "../../api/types.js";
import { isKubeApiError } from "../../operator/kube/kube-client.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import type { RuntimeConfig } from "../../runtime/config/runtime-config.js";
import type { SecretObject } from "../../manifests/secret-values.js";
import { secretValues } from "../../manifests/secret-values.js";

export interface IntegrationContext {
  integration: Integration;
  /** What the operator gave the runtime: the connector at its resolved version, the Integration's spec. */
  config: RuntimeConfig;
  /** The webhook verification secrets, as the runtime reads them. */
  webhookSecrets(): Promise<string[]>;
}

/** An Integration as its runtime sees it, from the cluster, with errors that say what to check. */
export async function loadIntegrationContext(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<IntegrationContext> {
  const where = `Integration ${namespace}/${name}`;
  const integration = await client
    .request<Integration>(
      "GET",
      `/apis/switchboard.dev/v1alpha1/namespaces/${namespace}/integrations/${name}`,
    )
    .catch((error: unknown) => {
      throw isKubeApiError(error) && error.code === 404
        ? new Error(`${where} not found (kubectl get integrations -n ${namespace})`)
        : error;
    });
  const configMap = await client
    .request<{ data?: Record<string, string> }>(
      "GET",
      `/api/v1/namespaces/${namespace}/configmaps/${name}-runtime`,
    )
    .catch((error: unknown) => {
      throw isKubeApiError(error) && error.code === 404
        ? new Error(
            `${where} has no runtime configuration yet: is the operator running? (kubectl describe integration ${name} -n ${namespace})`,
          )
        : error;
    });
  const text = configMap.data?.["runtime.json"];
  if (!text) throw new Error(`ConfigMap ${namespace}/${name}-runtime has no runtime.json`);
  const config = JSON.parse(text) as RuntimeConfig;
  return {
    integration,
    config,
    webhookSecrets: async () => {
      const ref = integration.spec.webhook?.secretRef;
      if (!ref) return [];
      const secret = await client
        .request<SecretObject>("GET", `/api/v1/namespaces/${namespace}/secrets/${ref.name}`)
        .catch((error: unknown) => {
          throw isKubeApiError(error) && error.code === 404
            ? new Error(`Secret ${namespace}/${ref.name} (${where} spec.webhook.secretRef) not found`)
            : error;
        });
      const values = secretValues(secret);
      return (ref.keys ?? [...values.keys()]).flatMap((key) => values.get(key) ?? []);
    },
  };
}
