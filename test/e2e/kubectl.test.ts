import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { kubectl, kubectlStream } from "../support/kubectl.js";
import { widgetCrd } from "../support/widget-crd.js";

describe("the real kubectl against the embedded API server", () => {
  let api: ApiServerFixture;
  let config: string;
  let dir: string;
  const file = async (name: string, object: unknown): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, yaml.dump(object));
    return path;
  };
  beforeAll(async () => {
    api = await startApiServer({ crds: [widgetCrd()] });
    config = api.kubeconfigPath;
    dir = dirname(config);
  });
  afterAll(() => api.close());

  it("kubectl version and api-resources read discovery", async () => {
    const version = await kubectl(config, ["version", "-o", "json"]);
    expect(version.code, version.stderr).toBe(0);
    expect(JSON.parse(version.stdout).serverVersion.minor).toBe("32");
    const resources = await kubectl(config, [
      "api-resources",
      "--api-group=example.switchboard.dev",
      "-o",
      "wide",
    ]);
    expect(resources.code, resources.stderr).toBe(0);
    expect(resources.stdout).toMatch(/widgets\s+wd\s+example\.switchboard\.dev\/v1\s+true\s+Widget/);
  });

  it("kubectl apply --server-side creates, and a second apply reports unchanged", async () => {
    const path = await file("widget.yaml", {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "from-kubectl", namespace: "default" },
      spec: { size: "medium" },
    });
    const first = await kubectl(config, ["apply", "--server-side", "-f", path]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe("widget.example.switchboard.dev/from-kubectl serverside-applied");
    const second = await kubectl(config, ["apply", "--server-side", "-f", path]);
    expect(second.code, second.stderr).toBe(0);
  });

  it("kubectl get prints the CRD's printer columns, and -o yaml the object", async () => {
    const table = await kubectl(config, ["get", "widgets"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+SIZE\s+READY\s+AGE\n/);
    // A column with no value (no Ready condition yet) prints empty, as for any CRD.
    expect(table.stdout).toMatch(/from-kubectl\s+medium\s+\d+s/);
    const asYaml = await kubectl(config, ["get", "widget", "from-kubectl", "-o", "yaml"]);
    const object = yaml.load(asYaml.stdout) as { spec: { size: string; color: string } };
    expect(object.spec).toMatchObject({ size: "medium", color: "blue" });
  });

  it("kubectl get on a category lists every kind in it", async () => {
    const result = await kubectl(config, ["get", "switchboard"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+SIZE\s+READY\s+AGE\n/);
    expect(result.stdout).toContain("from-kubectl");
  });

  it("kubectl create, replace and delete", async () => {
    const path = await file("cm.yaml", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kc", namespace: "default" },
      data: { a: "1" },
    });
    const created = await kubectl(config, ["create", "-f", path]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe("configmap/kc created");
    const again = await kubectl(config, ["create", "-f", path]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('configmaps "kc" already exists');
    const replacePath = await file("cm2.yaml", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kc", namespace: "default" },
      data: { a: "2" },
    });
    const replaced = await kubectl(config, ["replace", "-f", replacePath]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout.trim()).toBe("configmap/kc replaced");
    const deleted = await kubectl(config, ["delete", "configmap", "kc"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe('configmap "kc" deleted');
  });

  it("kubectl patch with merge, json and --subresource=status", async () => {
    const merge = await kubectl(config, [
      "patch",
      "widget",
      "from-kubectl",
      "--type",
      "merge",
      "-p",
      '{"spec":{"size":"large"}}',
    ]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout.trim()).toBe("widget.example.switchboard.dev/from-kubectl patched");
    const json = await kubectl(config, [
      "patch",
      "widget",
      "from-kubectl",
      "--type",
      "json",
      "-p",
      '[{"op":"replace","path":"/spec/color","value":"red"}]',
    ]);
    expect(json.code, json.stderr).toBe(0);
    const status = await kubectl(config, [
      "patch",
      "widget",
      "from-kubectl",
      "--subresource=status",
      "--type",
      "merge",
      "-p",
      '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    ]);
    expect(status.code, status.stderr).toBe(0);
    const table = await kubectl(config, ["get", "widget", "from-kubectl", "--no-headers"]);
    expect(table.stdout).toMatch(/from-kubectl\s+large\s+True/);
  });

  it("kubectl shows the server's validation errors", async () => {
    const path = await file("bad.yaml", {
      apiVersion: "example.switchboard.dev/v1",
      kind: "Widget",
      metadata: { name: "bad", namespace: "default" },
      spec: { size: "gigantic" },
    });
    const result = await kubectl(config, ["apply", "--server-side", "-f", path]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Unsupported value: "gigantic"');
  });

  it("kubectl get -w prints changes as they happen", async () => {
    const watch = kubectlStream(config, ["get", "widgets", "-w", "--output-watch-events"]);
    try {
      await watch.waitForLine(/from-kubectl/);
      const path = await file("watched.yaml", {
        apiVersion: "example.switchboard.dev/v1",
        kind: "Widget",
        metadata: { name: "watched", namespace: "default" },
        spec: { size: "small" },
      });
      await kubectl(config, ["apply", "--server-side", "-f", path]);
      expect(await watch.waitForLine(/ADDED\s+watched\s+small/)).toBeTruthy();
      await kubectl(config, ["delete", "widget", "watched"]);
      expect(await watch.waitForLine(/DELETED\s+watched/)).toBeTruthy();
    } finally {
      watch.process.kill();
    }
  });

  it("kubectl explain reads the CRD schema from OpenAPI v3", async () => {
    const result = await kubectl(config, ["explain", "widget.spec.size"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("How big the widget is.");
  });
});
