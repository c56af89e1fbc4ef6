import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../../test/support/eventually.js";
import type { OperatorFixture } from "../../../test/support/operator-fixture.js";
import { startOperatorFixture } from "../../../test/support/operator-fixture.js";
import type { KubeObject } from "../../apiserver/types.js";
import { loadManifests } from "../../manifests/load-manifests.js";

const path = "/apis/switchboard.dev/v1alpha1/clusterconnectors";
const revisions = "/apis/apps/v1/namespaces/switchboard-system/controllerrevisions";

type Status = {
  observedGeneration?: number;
  conditions?: { type: string; status: string; reason: string; message: string }[];
  versions?: { version: string; digest?: string; maturity?: string; integrations?: number }[];
};

describe("ClusterConnector controller", () => {
  let fixture: OperatorFixture;
  let client: OperatorFixture["client"];
  beforeAll(async () => {
    fixture = await startOperatorFixture([], { resyncPeriodMs: 100 });
    client = fixture.client;
  });
  afterAll(() => fixture.stop());

  const status = async (name: string): Promise<Status> =>
    (await client.request<{ status?: Status }>("GET", `${path}/${name}`)).status ?? {};
  const brokenSpec = {
    displayName: "Broken",
    category: "itops",
    version: "0.1.0",
    baseURL: "https://{config.tenant}.example.com",
    configSchema: { type: "object", properties: { region: { type: "string" } } },
    actions: [{ name: "get", method: "GET", path: "/x", output: "items[" }],
  };

  it("installs a valid catalog connector as an immutable revision and reports it Ready", async () => {
    const [github] = await loadManifests(["connectors/itops/github.yaml"]);
    await client.request("POST", path, github?.object);
    await eventually(async () => {
      const current = await status("github");
      expect(current.observedGeneration).toBe(1);
      expect(current.conditions).toEqual([
        expect.objectContaining({
          type: "Ready",
          status: "True",
          reason: "Succeeded",
          message: "GitHub 1.1.0 is valid and installed",
        }),
      ]);
      expect(current.versions).toEqual([
        {
          version: "1.1.0",
          digest: expect.stringMatching(/^sha256:/) as string,
          maturity: "beta",
          integrations: 0,
        },
      ]);
    });
    const revision = await client.request<KubeObject>("GET", `${revisions}/github-1.1.0`);
    expect(revision.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "ClusterConnector", name: "github", controller: true }),
    ]);
    expect(revision.metadata.labels).toMatchObject({
      "switchboard.dev/connector": "github",
      "switchboard.dev/connector-version": "1.1.0",
    });
    expect((revision.data as { version: string; baseURL: string }).baseURL).toBe("https://api.github.com");
  });

  it("refuses a changed definition under an installed version: Stalled, VersionModified, the revision untouched", async () => {
    const before = await client.request<KubeObject>("GET", `${revisions}/github-1.1.0`);
    await client.request(
      "PATCH",
      `${path}/github`,
      { spec: { description: "GitHub, described anew under the same version" } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const ready = (await status("github")).conditions?.find((c) => c.type === "Ready");
      expect(ready).toMatchObject({ status: "False", reason: "VersionModified" });
      expect(ready?.message).toMatch(
        /^spec: 1.1.0 is already installed with a different definition .*give the changed definition a new version$/,
      );
    });
    const after = await client.request<KubeObject>("GET", `${revisions}/github-1.1.0`);
    expect(after.data).toEqual(before.data);

    await client.request(
      "PATCH",
      `${path}/github`,
      { spec: { version: "1.2.0" } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const current = await status("github");
      expect(current.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(["Ready=True"]);
      expect(current.versions?.map((v) => v.version)).toEqual(["1.2.0", "1.1.0"]);
    });
  });

  it("marks an invalid one Ready=False and Stalled, naming the field, with a Warning event; fixing it recovers", async () => {
    await client.request("POST", path, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "broken" },
      spec: brokenSpec,
    });
    await eventually(async () => {
      const current = await status("broken");
      expect(current.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
        "Ready=False/InvalidSpec",
        "Stalled=True/InvalidSpec",
      ]);
      expect(current.conditions?.[0]?.message).toBe(
        "spec.baseURL: {config.tenant} names a field the configSchema does not define (and 1 more)",
      );
      expect(current.versions).toEqual([]);
    });
    const events = await fixture.core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=broken,type=Warning",
    });
    expect(events.items[0]?.message).toContain(
      "spec.actions[0].output: the JSONata expression does not compile",
    );

    await client.request(
      "PATCH",
      `${path}/broken`,
      {
        spec: {
          configSchema: { type: "object", properties: { tenant: { type: "string" } } },
          actions: [{ name: "get", method: "GET", path: "/x", output: "items" }],
        },
      },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const current = await status("broken");
      expect(current.observedGeneration).toBe(2);
      expect(current.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(["Ready=True"]);
      expect(current.versions?.map((v) => v.version)).toEqual(["0.1.0"]);
    });
  });

  it("follows a deprecation onto the installed revision's metadata, leaving its data as it was", async () => {
    await client.request(
      "PATCH",
      `${path}/broken`,
      { spec: { maturity: "deprecated", deprecation: { message: "use github", replacedBy: "github" } } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const revision = await client.request<KubeObject>("GET", `${revisions}/broken-0.1.0`);
      expect(revision.metadata.labels?.["switchboard.dev/maturity"]).toBe("deprecated");
      expect(revision.metadata.annotations).toMatchObject({
        "switchboard.dev/deprecation": "use github",
        "switchboard.dev/replaced-by": "github",
      });
      expect((await status("broken")).versions?.[0]?.maturity).toBe("deprecated");
    });
  });

  it("writes nothing in a steady state, over many resyncs", async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    fixture.server.stats.reset();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // ten resyncs
    expect(fixture.server.stats.total({ writes: true })).toBe(0);
  });
});
