import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogConnectors, packageCatalog } from "./catalog-connectors.js";
import { UsageError } from "./usage-error.js";

describe("the connector catalog", () => {
  it("is the package's connectors/ folder, every entry a valid ClusterConnector", async () => {
    const connectors = await catalogConnectors(packageCatalog);
    expect(connectors.map((c) => c.name)).toContain("github");
    expect(connectors.every((c) => c.kind === "ClusterConnector")).toBe(true);
  });

  it("passes over what is not a valid connector", async () => {
    const dir = await mkdtemp(join(tmpdir(), "switchboard-catalog-"));
    try {
      await writeFile(join(dir, "broken.yaml"), "kind: [");
      await writeFile(join(dir, "secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: { name: x }\n");
      expect(await catalogConnectors(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names a catalog folder that does not exist and the options that fix it", async () => {
    await expect(catalogConnectors("/nonexistent/catalog")).rejects.toThrow(
      new UsageError(
        "catalog /nonexistent/catalog: no such file or folder: pass --catalog <dir>, or --no-catalog",
      ),
    );
  });
});
