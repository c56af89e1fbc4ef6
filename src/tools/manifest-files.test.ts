import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestFiles } from "./manifest-files.js";
import { UsageError } from "./usage-error.js";

describe("the files of manifest paths", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-manifest-files-"));
    await mkdir(join(dir, "b", "nested"), { recursive: true });
    await mkdir(join(dir, "empty"));
    for (const file of ["a.yaml", "b/z.yml", "b/nested/c.json", "b/notes.txt", "README.md"])
      await writeFile(join(dir, file), "{}");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("walks folders for .yaml, .yml and .json files in name order, and takes files as given", async () => {
    expect(await manifestFiles([dir])).toEqual(
      ["a.yaml", "b/nested/c.json", "b/z.yml"].map((file) => join(dir, file)),
    );
    expect(await manifestFiles([join(dir, "README.md"), join(dir, "a.yaml"), join(dir, "a.yaml")])).toEqual([
      join(dir, "README.md"),
      join(dir, "a.yaml"),
    ]);
  });

  it("names a path that does not exist, and a folder without manifests, as usage errors", async () => {
    const missing = join(dir, "nope.yaml");
    await expect(manifestFiles([missing])).rejects.toThrow(
      new UsageError(`${missing}: no such file or folder`),
    );
    await expect(manifestFiles([join(dir, "empty")])).rejects.toBeInstanceOf(UsageError);
  });
});
