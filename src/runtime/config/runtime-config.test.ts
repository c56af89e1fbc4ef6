import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseGoDuration } from "./go-duration.js";
import { loadRuntimeConfig, readSecretFolder, readSinkSecrets } from "./runtime-config.js";

describe("the runtime's files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-runtime-config-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads mounted Secrets as kubelet lays them out: files by key, dot entries skipped, one folder per sink Secret", async () => {
    await mkdir(join(dir, "webhook", "..2026_11_25"), { recursive: true });
    await writeFile(join(dir, "webhook", "..2026_11_25", "current"), "s1\n");
    await symlink("..2026_11_25", join(dir, "webhook", "..data"));
    await symlink("..data/current", join(dir, "webhook", "current"));
    expect(await readSecretFolder(join(dir, "webhook"))).toEqual(new Map([["current", "s1"]]));
    expect(await readSecretFolder(join(dir, "missing"))).toEqual(new Map());
    await mkdir(join(dir, "sinks", "audit-signing"), { recursive: true });
    await writeFile(join(dir, "sinks", "audit-signing", "secret"), "whsec_abc");
    expect(await readSinkSecrets(join(dir, "sinks"))).toEqual(
      new Map([["audit-signing/secret", "whsec_abc"]]),
    );
  });

  it("names the file and the missing field of a bad runtime.json", async () => {
    await writeFile(
      join(dir, "runtime.json"),
      JSON.stringify({ integration: { name: "x", namespace: "y" } }),
    );
    await expect(loadRuntimeConfig(join(dir, "runtime.json"))).rejects.toThrow(
      `${join(dir, "runtime.json")}: integration.spec is missing`,
    );
    await expect(loadRuntimeConfig(join(dir, "nope.json"))).rejects.toThrow(
      `${join(dir, "nope.json")}: no such file`,
    );
  });

  it("reads Go durations", () => {
    expect(["250ms", "30s", "5m", "1h30m", "1.5s"].map(parseGoDuration)).toEqual([
      250, 30_000, 300_000, 5_400_000, 1_500,
    ]);
    expect(() => parseGoDuration("5 minutes")).toThrow(
      '"5 minutes" is not a duration such as 30s, 5m or 1h30m',
    );
  });
});
