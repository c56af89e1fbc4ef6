import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/apiserver/types.js";
import { eventually } from "../support/eventually.js";
import type { OperatorFixture } from "../support/operator-fixture.js";
import { startOperatorFixture } from "../support/operator-fixture.js";

const connectors = "/apis/switchboard.dev/v1alpha1/clusterconnectors";
const integrations = "/apis/switchboard.dev/v1alpha1/namespaces/default/integrations";
const revisions = "/apis/apps/v1/namespaces/switchboard-system/controllerrevisions";

type Condition = { type: string; status: string; reason: string; message: string };
type IntegrationStatus = { conditions?: Condition[]; connector?: { version?: string } };
type ConnectorStatus = {
  versions?: { version: string; integrations?: number; removalRequested?: boolean }[];
};

/** A connector whose base URL tells its versions apart in the runtime's config. */
function acme(version: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "ClusterConnector",
    metadata: { name: "acme" },
    spec: {
      displayName: "Acme",
      category: "itops",
      version,
      maturity: "stable",
      baseURL: `https://api.acme.example/v${version}`,
      egressHosts: ["api.acme.example"],
      ...extra,
    },
  };
}

function integration(name: string, range: string): KubeObject {
  return {
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "Integration",
    metadata: { name, namespace: "default" },
    spec: { connectorRef: { name: "acme", version: range } },
  };
}

describe("connector versions: installed side by side, resolved by range, pinned, deprecated, removed when unused", () => {
  let fixture: OperatorFixture;
  let client: OperatorFixture["client"];
  beforeAll(async () => {
    fixture = await startOperatorFixture();
    client = fixture.client;
    await client.request("POST", connectors, acme("1.0.0"));
    await eventually(async () => {
      const status = (await client.request<{ status?: ConnectorStatus }>("GET", `${connectors}/acme`)).status;
      expect(status?.versions?.map((v) => v.version)).toEqual(["1.0.0"]);
    });
    for (const [name, range] of [
      ["follows-minor", "^1.0"],
      ["pinned-patch", "~1.0.0"],
      ["any", "*"],
    ] as const)
      await client.request("POST", integrations, integration(name, range));
  });
  afterAll(() => fixture.stop());

  const status = async (name: string): Promise<IntegrationStatus> =>
    (await client.request<{ status?: IntegrationStatus }>("GET", `${integrations}/${name}`)).status ?? {};
  const connectorStatus = async (): Promise<ConnectorStatus> =>
    (await client.request<{ status?: ConnectorStatus }>("GET", `${connectors}/acme`)).status ?? {};
  const resolved = async (name: string) => (await status(name)).connector?.version;
  const baseURL = async (name: string): Promise<string> => {
    const configMap = await fixture.core.readNamespacedConfigMap({
      name: `${name}-runtime`,
      namespace: "default",
    });
    const config = JSON.parse(configMap.data?.["runtime.json"] ?? "{}") as {
      connector: { spec: { baseURL: string } };
    };
    return config.connector.spec.baseURL;
  };
  const apply = (object: KubeObject) =>
    client.request(
      "PATCH",
      `${connectors}/acme?fieldManager=platform-team&force=true`,
      JSON.stringify(object),
      "application/apply-patch+yaml",
    );

  it("resolves every range to the one installed version and counts its users", async () => {
    await eventually(async () => {
      for (const name of ["follows-minor", "pinned-patch", "any"]) expect(await resolved(name)).toBe("1.0.0");
      expect((await connectorStatus()).versions).toEqual([
        expect.objectContaining({ version: "1.0.0", integrations: 3 }),
      ]);
    });
    expect(await baseURL("follows-minor")).toBe("https://api.acme.example/v1.0.0");
  });

  it("an upgrade within a range moves its users; a range that excludes it keeps the old definition", async () => {
    await apply(acme("1.1.0"));
    await eventually(async () => {
      expect(await resolved("follows-minor")).toBe("1.1.0");
      expect(await resolved("any")).toBe("1.1.0");
      expect(await resolved("pinned-patch")).toBe("1.0.0");
      expect(await baseURL("follows-minor")).toBe("https://api.acme.example/v1.1.0");
      expect(await baseURL("pinned-patch")).toBe("https://api.acme.example/v1.0.0");
    });
    await eventually(async () =>
      expect((await connectorStatus()).versions).toEqual([
        expect.objectContaining({ version: "1.1.0", integrations: 2 }),
        expect.objectContaining({ version: "1.0.0", integrations: 1 }),
      ]),
    );
  });

  it("an upgrade outside a range leaves its users where they are", async () => {
    await apply(acme("2.0.0"));
    await eventually(async () => {
      expect(await resolved("any")).toBe("2.0.0");
      expect((await connectorStatus()).versions?.map((v) => `${v.version}:${v.integrations ?? 0}`)).toEqual([
        "2.0.0:1",
        "1.1.0:1",
        "1.0.0:1",
      ]);
    });
    expect(await resolved("follows-minor")).toBe("1.1.0");
    expect(await resolved("pinned-patch")).toBe("1.0.0");
    expect(await baseURL("follows-minor")).toBe("https://api.acme.example/v1.1.0");
  });

  it("a range no installed version meets stalls, naming what is installed", async () => {
    await client.request("POST", integrations, integration("wants-three", "^3"));
    await eventually(async () => {
      const ready = (await status("wants-three")).conditions?.find((c) => c.type === "Ready");
      expect(ready).toMatchObject({ status: "False", reason: "NoMatchingVersion" });
      expect(ready?.message).toBe(
        'no installed version of ClusterConnector "acme" matches spec.connectorRef.version "^3" (installed: 2.0.0, 1.1.0, 1.0.0): install one in range or change the range',
      );
    });
    await client.request("DELETE", `${integrations}/wants-three`);
  });

  it("a deprecated version puts a Deprecated condition and a Warning event on each of its users", async () => {
    await client.request(
      "PATCH",
      `${revisions}/acme-1.0.0`,
      {
        metadata: {
          labels: { "switchboard.dev/maturity": "deprecated" },
          annotations: { "switchboard.dev/deprecation": "1.0 stops working in March: move to ^1.1" },
        },
      },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      const deprecated = (await status("pinned-patch")).conditions?.find((c) => c.type === "Deprecated");
      expect(deprecated).toMatchObject({
        status: "True",
        reason: "ConnectorDeprecated",
        message: 'ClusterConnector "acme" 1.0.0 is deprecated: 1.0 stops working in March: move to ^1.1',
      });
    });
    await eventually(async () => {
      const events = await fixture.core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=pinned-patch,reason=ConnectorDeprecated",
      });
      expect(events.items.map((e) => e.type)).toEqual(["Warning"]);
    });
    expect((await status("follows-minor")).conditions?.some((c) => c.type === "Deprecated")).toBe(false);
  });

  it("a used version cannot be removed: deleting it waits, with a Warning, until its users move on", async () => {
    await client.request("DELETE", `${revisions}/acme-1.1.0`);
    await eventually(async () =>
      expect((await connectorStatus()).versions).toContainEqual(
        expect.objectContaining({ version: "1.1.0", integrations: 1, removalRequested: true }),
      ),
    );
    const held = await client.request<KubeObject>("GET", `${revisions}/acme-1.1.0`);
    expect(held.metadata.finalizers).toEqual(["switchboard.dev/in-use"]);
    await eventually(async () => {
      const events = await fixture.core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=acme,reason=VersionInUse",
      });
      expect(events.items[0]?.message).toMatch(/^Acme 1.1.0 was deleted but 1 Integration\(s\) use it/);
    });
    expect(await resolved("follows-minor")).toBe("1.1.0");

    // Moving the last user elsewhere lets the deletion finish.
    await client.request(
      "PATCH",
      `${integrations}/follows-minor`,
      { spec: { connectorRef: { name: "acme", version: "~1.0.0" } } },
      "application/merge-patch+json",
    );
    await eventually(async () => {
      expect(await resolved("follows-minor")).toBe("1.0.0");
      const list = await client.request<{ items: KubeObject[] }>("GET", revisions);
      expect(list.items.map((r) => r.metadata.name).sort()).toEqual(["acme-1.0.0", "acme-2.0.0"]);
      expect((await connectorStatus()).versions?.map((v) => v.version)).toEqual(["2.0.0", "1.0.0"]);
    });
  });

  it("an unused version is removed at once", async () => {
    await client.request("DELETE", `${integrations}/any`);
    await eventually(async () =>
      expect((await connectorStatus()).versions).toContainEqual(
        expect.objectContaining({ version: "2.0.0", integrations: 0 }),
      ),
    );
    await eventually(async () => {
      const revision = await client.request<KubeObject>("GET", `${revisions}/acme-2.0.0`);
      expect(revision.metadata.finalizers ?? []).toEqual([]);
    });
    // 2.0.0 is the connector's current version: removing its revision reinstalls it, the same.
    const before = await client.request<KubeObject>("GET", `${revisions}/acme-2.0.0`);
    await client.request("DELETE", `${revisions}/acme-2.0.0`);
    await eventually(async () => {
      const after = await client.request<KubeObject>("GET", `${revisions}/acme-2.0.0`);
      expect(after.metadata.uid).not.toBe(before.metadata.uid);
      expect(after.data).toEqual(before.data);
    });
  });
  it("deleting the connector collects its unused versions; used ones stay until their Integrations go", async () => {
    await client.request("DELETE", `${connectors}/acme`);
    await eventually(async () => {
      const list = await client.request<{ items: KubeObject[] }>("GET", revisions);
      expect(list.items.map((r) => r.metadata.name)).toEqual(["acme-1.0.0"]);
      const ready = (await status("pinned-patch")).conditions?.find((c) => c.type === "Ready");
      expect(ready).toMatchObject({ status: "False", reason: "ConnectorNotFound" });
    });
    await client.request("DELETE", `${integrations}/pinned-patch`);
    await client.request("DELETE", `${integrations}/follows-minor`);
    await eventually(async () => {
      const list = await client.request<{ items: KubeObject[] }>("GET", revisions);
      expect(list.items).toEqual([]);
    });
  });
});
