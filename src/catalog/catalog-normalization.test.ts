import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/types.js";
import { loadManifests } from "../manifests/load-manifests.js";
import { compileFlows } from "../runtime/flows/compile-flows.js";

// Every sample event a connector's OCSF mapping covers, normalized as the runtime does it.
const catalog = (await loadManifests(["connectors"])).map(({ object }) => object.spec as ConnectorSpec);
const covered = catalog.flatMap((spec) =>
  (spec.events ?? [])
    .filter((event) => event.sample !== undefined)
    .filter((event) =>
      (spec.normalization?.ocsf ?? []).some((mapping) =>
        mapping.events.some((glob) =>
          new RegExp(`^${glob.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(event.type),
        ),
      ),
    )
    .map((event) => [`${spec.displayName} ${event.type}`, spec, event.type, event.sample] as const),
);

describe("the catalog's OCSF mappings", () => {
  it("cover security findings and identity activity", () => {
    expect(new Set(covered.map(([, spec]) => spec.displayName))).toEqual(
      new Set(["CrowdStrike Falcon", "AWS Security Hub", "Google Cloud Security Command Center", "Okta"]),
    );
  });

  it.each(covered)(
    "%s becomes an OCSF object with the base attributes",
    async (_name, spec, type, sample) => {
      const [flow] = compileFlows(
        {
          connectorRef: { name: "x" },
          flows: [{ name: "ocsf", events: ["*"], normalize: "ocsf", target: { action: "x" } }],
        },
        spec,
        { namespace: "default", integration: "x", webhookURL: "http://x.default.svc/webhook", config: {} },
      );
      const output = await flow?.run({
        type,
        deliveryId: "d-1",
        payload: sample,
        receivedAt: new Date(),
        traceparent: undefined,
      });
      const ocsf = output?.body as Record<string, unknown>;
      expect(ocsf).toMatchObject({
        class_uid: expect.any(Number) as number,
        category_uid: expect.any(Number) as number,
        activity_id: expect.any(Number) as number,
        severity_id: expect.any(Number) as number,
        time: expect.any(Number) as number,
        metadata: { version: "1.3.0", product: { vendor_name: expect.any(String) as string } },
      });
      expect(ocsf.type_uid).toBe((ocsf.class_uid as number) * 100 + (ocsf.activity_id as number));
    },
  );
});
