import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowTestInputs } from "./flow-test-inputs.js";
import { packageCatalog } from "./catalog-connectors.js";
import { UsageError } from "./usage-error.js";

const integration = (name: string, connector = "github", extra = "") => `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: ${name}
spec:
  connectorRef:
    name: ${connector}${extra}
`;

describe("the inputs of a flow test", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-flow-inputs-"));
    await writeFile(file("one.yaml"), integration("repos"));
    await writeFile(file("two.yaml"), `${integration("a")}---\n${integration("b")}`);
    await writeFile(file("tickets.yaml"), integration("support", "example-webhooks"));
    await writeFile(file("invalid.yaml"), integration("bad", "github", "\n  surprise: 1"));
    await writeFile(file("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds the Integration and its connector in the catalog", async () => {
    const inputs = await flowTestInputs({
      manifest: file("one.yaml"),
      connectorFiles: [],
      catalog: packageCatalog,
    });
    expect(inputs.integration.metadata.name).toBe("repos");
    expect(inputs.connector).toMatchObject({ kind: "ClusterConnector", name: "github" });
  });

  it("finds the connector in --connector files", async () => {
    const inputs = await flowTestInputs({
      manifest: file("tickets.yaml"),
      connectorFiles: ["config/samples/clusterconnector.yaml"],
      catalog: false,
    });
    expect(inputs.connector).toMatchObject({
      name: "example-webhooks",
      file: "config/samples/clusterconnector.yaml",
    });
  });

  it("says where it looked for a connector it cannot find, and the option that fixes it", async () => {
    await expect(
      flowTestInputs({ manifest: file("tickets.yaml"), connectorFiles: [], catalog: packageCatalog }),
    ).rejects.toThrow(
      new UsageError(
        `connector example-webhooks not found in ${file("tickets.yaml")} or the catalog; pass --connector <file>`,
      ),
    );
    await expect(
      flowTestInputs({ manifest: file("one.yaml"), connectorFiles: [], catalog: false }),
    ).rejects.toThrow(
      new UsageError(`connector github not found in ${file("one.yaml")}; pass --connector <file>`),
    );
  });

  it("picks one of several Integrations by name, and asks for it otherwise", async () => {
    const sources = { manifest: file("two.yaml"), connectorFiles: [], catalog: packageCatalog };
    await expect(flowTestInputs(sources)).rejects.toThrow(
      new UsageError(`${file("two.yaml")} has 2 Integrations (a, b); pass --integration <name>`),
    );
    expect((await flowTestInputs({ ...sources, integrationName: "b" })).integration.metadata.name).toBe("b");
    await expect(flowTestInputs({ ...sources, integrationName: "c" })).rejects.toBeInstanceOf(UsageError);
  });

  it("refuses a file without an Integration, a missing file, and an invalid Integration with its problems", async () => {
    await expect(
      flowTestInputs({ manifest: file("secret.yaml"), connectorFiles: [], catalog: false }),
    ).rejects.toThrow(
      new UsageError(
        `${file("secret.yaml")}: no Integration in it; pass the file of the Integration to test`,
      ),
    );
    await expect(
      flowTestInputs({ manifest: file("nope.yaml"), connectorFiles: [], catalog: false }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      flowTestInputs({ manifest: file("invalid.yaml"), connectorFiles: [], catalog: packageCatalog }),
    ).rejects.toThrow(
      `${file("invalid.yaml")}:8:3: error: spec.surprise: unknown field\nIntegration is not valid`,
    );
  });
});
