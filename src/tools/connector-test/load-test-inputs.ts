import { existsSync } from "node:fs";
import type { ConnectorSpec, CredentialSpec } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { loadManifests } from "../../manifests/load-manifests.js";
import type { SecretObject as SecretManifest } from "../../manifests/secret-values.js";
import { secretValues } from "../../manifests/secret-values.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import { isKubeApiError } from "../../operator/kube/kube-client.js";

type SecretObject = KubeObject & SecretManifest;

/** A connector from a manifest file, or by name from the catalog folder. */
export async function loadConnector(
  reference: string,
  catalog: string | undefined,
): Promise<{ name: string; spec: ConnectorSpec }> {
  const isConnector = (o: KubeObject) => o.kind === "Connector" || o.kind === "ClusterConnector";
  if (existsSync(reference)) {
    const found = (await loadManifests([reference])).map((m) => m.object).find(isConnector);
    if (!found) throw new Error(`${reference}: no Connector or ClusterConnector in it`);
    return { name: found.metadata.name ?? reference, spec: found.spec as ConnectorSpec };
  }
  const found = catalog
    ? (await loadManifests([catalog]))
        .map((m) => m.object)
        .find((o) => isConnector(o) && o.metadata.name === reference)
    : undefined;
  if (!found)
    throw new Error(
      `connector ${reference}: no such file, and not in the catalog${catalog ? ` (${catalog})` : ""}`,
    );
  return { name: reference, spec: found.spec as ConnectorSpec };
}

/**
 * A Credential and the values of its Secret: from a file holding both manifests (the Secret with
 * `stringData` or `data`), or by name from the cluster.
 */
export async function loadCredential(
  reference: string,
  cluster: () => Promise<{ client: KubeClient; namespace: string }>,
): Promise<{ spec: CredentialSpec; values: Map<string, string> }> {
  if (existsSync(reference)) {
    const objects = (await loadManifests([reference])).map((m) => m.object);
    const credential = objects.find((o) => o.kind === "Credential");
    if (!credential) throw new Error(`${reference}: no Credential in it`);
    const spec = credential.spec as CredentialSpec;
    const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === spec.secretRef.name);
    if (!secret)
      throw new Error(`${reference}: no Secret ${spec.secretRef.name} (the Credential's secretRef) in it`);
    return { spec, values: secretValues(secret as SecretObject) };
  }
  const { client, namespace } = await cluster();
  const get = async <T>(path: string, what: string): Promise<T> =>
    client.request<T>("GET", path).catch((error: unknown) => {
      throw isKubeApiError(error) && error.code === 404
        ? new Error(`${what} not found (and ${reference} is not a file)`)
        : error;
    });
  const credential = await get<KubeObject>(
    `/apis/switchboard.dev/v1alpha1/namespaces/${namespace}/credentials/${reference}`,
    `Credential ${namespace}/${reference}`,
  );
  const spec = credential.spec as CredentialSpec;
  const secret = await get<SecretObject>(
    `/api/v1/namespaces/${namespace}/secrets/${spec.secretRef.name}`,
    `Secret ${namespace}/${spec.secretRef.name}`,
  );
  return { spec, values: secretValues(secret) };
}
