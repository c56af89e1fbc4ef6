/** Writes crds/*.yaml (and the chart's copy) from the schemas in src/api/. Run with `npm run generate`. */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCrdFiles } from "../src/api/render-crd-files.js";

const targets = ["crds", join("charts", "switchboard", "crds")];
const files = renderCrdFiles();
for (const target of targets) {
  await mkdir(target, { recursive: true });
  for (const existing of await readdir(target))
    if (existing.endsWith(".yaml") && !files.has(existing)) await rm(join(target, existing));
  for (const [name, content] of files) await writeFile(join(target, name), content);
  console.log(`${target}/: ${files.size} CustomResourceDefinitions written`);
}
