import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The Dockerfile's instructions, continuation lines joined. */
async function instructions(): Promise<{ op: string; args: string }[]> {
  const text = (await readFile("Dockerfile", "utf8")).replace(/\\\n/g, " ");
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [op = "", ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

describe("the image", () => {
  it("is multi-stage on Node 24, runs as a non-root numeric user, one exec-form entry point for every command", async () => {
    const steps = await instructions();
    const from = steps.filter((s) => s.op === "FROM").map((s) => s.args);
    expect(from).toHaveLength(2);
    expect(from[0]).toMatch(/^node:24-.* AS build$/);
    expect(from[1]).toMatch(/^gcr\.io\/distroless\/nodejs24-debian12:nonroot$/);
    const final = steps.slice(steps.findIndex((s) => s.op === "FROM" && s.args === from[1]));
    const user = final.find((s) => s.op === "USER")?.args ?? "";
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const entrypoint = JSON.parse(final.find((s) => s.op === "ENTRYPOINT")?.args ?? "null") as string[];
    expect(entrypoint).toEqual(["/nodejs/bin/node", "/app/dist/cli/main.js"]);
    expect(final.some((s) => s.op === "RUN")).toBe(false); // distroless: no shell at run time
    const labels = final
      .filter((s) => s.op === "LABEL")
      .map((s) => s.args)
      .join(" ");
    for (const label of ["title", "description", "version", "licenses"])
      expect(labels).toContain(`org.opencontainers.image.${label}=`);
  });

  it("copies only files that exist, and builds with a script that exists", async () => {
    const steps = await instructions();
    for (const copy of steps.filter((s) => s.op === "COPY" && !s.args.startsWith("--from"))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(source), source).toBe(true);
    }
    const scripts = (
      JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    for (const run of steps.filter((s) => s.op === "RUN"))
      for (const [, name] of run.args.matchAll(/npm run (\S+)/g))
        expect(scripts[name ?? ""], name).toBeDefined();
    const ignored = (await readFile(".dockerignore", "utf8")).split("\n");
    for (const path of ["node_modules", "dist", ".git"]) expect(ignored).toContain(path);
  });

  it("its production tree, built without Docker, starts the CLI", async () => {
    const dir = await mkdtemp(join(tmpdir(), "switchboard-image-"));
    try {
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          "bash",
          ["scripts/build-production-tree.sh", join(dir, "app")],
          { timeout: 240_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      expect(output).toContain("Usage: switchboard");
      for (const command of ["operator", "webhook", "runtime", "apiserver", "dev", "validate"])
        expect(output).toContain(command);
      expect(existsSync(join(dir, "app", "node_modules", "vitest"))).toBe(false); // no dev dependencies
      expect(existsSync(join(dir, "app", "connectors"))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
