import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customResourceDefinitions } from "../../src/api/custom-resource-definitions.js";
import { EmbeddedApiServer } from "../../src/apiserver/embedded-api-server.js";
import type { KubeObject } from "../../src/apiserver/types.js";
import { KubeClient } from "../../src/operator/kube/kube-client.js";

const crds = customResourceDefinitions() as unknown as KubeObject[];
const credentials = "/apis/switchboard.dev/v1alpha1/namespaces/default/credentials";

async function started(stateFile: string): Promise<{ server: EmbeddedApiServer; client: KubeClient }> {
  const server = new EmbeddedApiServer({ crds, stateFile });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString((await server.start()).kubeconfig);
  return { server, client: new KubeClient(kubeConfig) };
}

describe("the API server's state file", () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "switchboard-state-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("keeps objects across a restart with their uids and versions, serves restored CRDs, and carries on the revision", async () => {
    const file = join(dir, "state.json");
    const first = await started(file);
    const created = await first.client.request<KubeObject>("POST", credentials, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "kept" },
      spec: { type: "bearer", secretRef: { name: "s" } },
    });
    await first.server.stop();

    const second = await started(file);
    const restored = await second.client.request<KubeObject>("GET", `${credentials}/kept`);
    expect(restored.metadata.uid).toBe(created.metadata.uid);
    expect(restored.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const next = await second.client.request<KubeObject>("POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after" },
    });
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    await second.client.request("DELETE", `${credentials}/kept`);
    await second.server.stop();

    const third = await started(file);
    await expect(third.client.request("GET", `${credentials}/kept`)).rejects.toMatchObject({
      code: 404,
    });
    await third.server.stop();
  });

  it("refuses a file that is not a saved state, naming it and the way out", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{ not json");
    await expect(new EmbeddedApiServer({ stateFile: file }).start()).rejects.toThrow(
      /broken\.json: not a saved API server state .*remove it to start empty/,
    );
  });
});
