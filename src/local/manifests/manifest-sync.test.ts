import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customResourceDefinitions } from "../../api/custom-resource-definitions.js";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import type { KubeObject } from "../../apiserver/types.js";
import { KubeClient } from "../../operator/kube/kube-client.js";
import { eventually } from "../../../test/support/eventually.js";
import { ManifestSync } from "./manifest-sync.js";

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const credential = (name: string, type: string) =>
  `apiVersion: switchboard.dev/v1alpha1\nkind: Credential\nmetadata:\n  name: ${name}\n  namespace: team-a\nspec:\n  type: ${type}\n  secretRef:\n    name: s\n`;
const namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n";

describe("syncing a folder of manifests to the API server", () => {
  let server: EmbeddedApiServer;
  let client: KubeClient;
  let dir: string;
  let sync: ManifestSync;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-manifests-"));
    server = new EmbeddedApiServer({ crds: customResourceDefinitions() as unknown as KubeObject[] });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
    client = new KubeClient(kubeConfig);
    sync = new ManifestSync({
      client,
      paths: [dir],
      report: (line, level) => lines.push(`${level}: ${line}`),
    });
  });
  afterAll(async () => {
    await sync.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string) => client.request<KubeObject & { data?: Record<string, string> }>("GET", path);
  const gone = async (path: string) => expect(get(path)).rejects.toMatchObject({ code: 404 });

  it("applies every file, dependencies first whatever the file order, namespaced objects in default unless named", async () => {
    await writeFile(join(dir, "a-credentials.yaml"), credential("api", "bearer"));
    await writeFile(join(dir, "b-config.yaml"), `${configMap("one", "1")}---\n${configMap("two", "2")}`);
    await writeFile(join(dir, "z-namespace.yaml"), namespace);
    await sync.sync();
    expect((await get("/api/v1/namespaces/default/configmaps/one")).data).toEqual({ value: "1" });
    expect(
      (await get("/apis/switchboard.dev/v1alpha1/namespaces/team-a/credentials/api")).metadata
        .managedFields?.[0]?.manager,
    ).toBe("switchboard-dev");
    expect(lines.filter((l) => l.startsWith("error"))).toEqual([]);
  });

  it("re-applies a changed file and deletes what left it", async () => {
    await writeFile(join(dir, "b-config.yaml"), configMap("one", "changed"));
    await sync.sync();
    expect((await get("/api/v1/namespaces/default/configmaps/one")).data).toEqual({ value: "changed" });
    await gone("/api/v1/namespaces/default/configmaps/two");
  });

  it("reports a file that does not parse and an object the server refuses, keeping what they applied before", async () => {
    await writeFile(join(dir, "b-config.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n");
    await writeFile(join(dir, "a-credentials.yaml"), credential("api", "not-a-type"));
    await sync.sync();
    expect(lines.some((l) => l.startsWith("error") && l.includes("b-config.yaml: not valid YAML"))).toBe(
      true,
    );
    expect(
      lines.some(
        (l) =>
          l.startsWith("error") &&
          l.includes("a-credentials.yaml: Credential/api:") &&
          l.includes("spec.type"),
      ),
    ).toBe(true);
    expect((await get("/api/v1/namespaces/default/configmaps/one")).data).toEqual({ value: "changed" });
    expect(
      (await get("/apis/switchboard.dev/v1alpha1/namespaces/team-a/credentials/api")).metadata.name,
    ).toBe("api");
  });

  it("with a record file, a sync started later deletes what left the files while none ran", async () => {
    const record = join(dir, "..", `${dir.split("/").pop() ?? ""}-applied.json`);
    const folder = join(dir, "recorded");
    await mkdir(folder);
    await writeFile(join(folder, "kept.yaml"), configMap("recorded-kept", "1"));
    await writeFile(join(folder, "dropped.yaml"), configMap("recorded-dropped", "1"));
    const first = new ManifestSync({ client, paths: [folder], recordFile: record, report: () => undefined });
    await first.sync();
    await first.close();
    await unlink(join(folder, "dropped.yaml"));
    const second = new ManifestSync({ client, paths: [folder], recordFile: record, report: () => undefined });
    await second.sync();
    await second.close();
    await gone("/api/v1/namespaces/default/configmaps/recorded-dropped");
    expect((await get("/api/v1/namespaces/default/configmaps/recorded-kept")).data).toEqual({ value: "1" });
    await rm(folder, { recursive: true });
    await rm(record);
  });

  it("watches the folder: a saved file is applied, a removed one deleted", async () => {
    sync.watch();
    await writeFile(join(dir, "c-new.yaml"), configMap("three", "3"));
    await eventually(async () =>
      expect((await get("/api/v1/namespaces/default/configmaps/three")).data).toEqual({ value: "3" }),
    );
    await unlink(join(dir, "c-new.yaml"));
    await eventually(() => gone("/api/v1/namespaces/default/configmaps/three"));
    expect(lines).toContain("info: deleted ConfigMap/three: gone from the manifests");
  });
});
