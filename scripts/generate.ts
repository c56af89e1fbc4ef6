/**
 * Writes everything generated: from the schemas in src/api/, crds/*.yaml, the chart's copy of them and
 * src/api/generated/types.ts; from config/argocd/*.lua, the argocd-cm snippet. Run with `npm run generate`; tests fail when the files drift.
 */
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCrdFiles } from "../src/api/render-crd-files.js";
import { renderTypes } from "../src/api/render-types.js";
import { renderArgoCdCustomizations } from "../src/packaging/argocd-customizations.js";
import { dashboardJson, dashboards } from "../src/packaging/dashboards.js";

const files = renderCrdFiles();
for (const target of ["crds", join("charts", "switchboard", "crds")]) {
  await mkdir(target, { recursive: true });
  for (const existing of await readdir(target))
    if (existing.endsWith(".yaml") && !files.has(existing)) await rm(join(target, existing));
  for (const [name, content] of files) await writeFile(join(target, name), content);
  console.log(`${target}/: ${files.size} CustomResourceDefinitions written`);
}
await mkdir(join("src", "api", "generated"), { recursive: true });
await writeFile(join("src", "api", "generated", "types.ts"), await renderTypes());
console.log("src/api/generated/types.ts written");
await writeFile(join("config", "argocd", "argocd-cm.yaml"), await renderArgoCdCustomizations());
console.log("config/argocd/argocd-cm.yaml written");
await mkdir(join("config", "dashboards"), { recursive: true });
for (const dashboard of dashboards)
  await writeFile(join("config", "dashboards", dashboard.file), dashboardJson(dashboard));
console.log(`config/dashboards/: ${dashboards.length} Grafana dashboards written`);
// What the chart's templates read through .Files: copies, kept equal by a test.
const chartFiles = join("charts", "switchboard", "files");
await rm(chartFiles, { recursive: true, force: true });
for (const [from, to] of [
  ["config/rbac", "rbac"],
  ["config/alerts", "alerts"],
  ["config/dashboards", "dashboards"],
  ["connectors", "connectors"],
] as const)
  await cp(from, join(chartFiles, to), {
    recursive: true,
    filter: (source) => !source.endsWith(".test.yaml"),
  });
console.log(`${chartFiles}/: RBAC, alerts, dashboards and the catalog copied`);
