import { readFile } from "node:fs/promises";
import type { Integration } from "../api/types.js";
import { validateManifest } from "../api/validate.js";
import { catalogConnectors } from "./catalog-connectors.js";
import type { KnownConnector } from "./known-connectors.js";
import { findConnector, knownConnector } from "./known-connectors.js";
import { manifestFiles } from "./manifest-files.js";
import { UsageError } from "./usage-error.js";
import { diagnosticLine } from "./validation-report.js";
import type { Manifest } from "./yaml-manifests.js";
import { yamlManifests } from "./yaml-manifests.js";

export interface FlowTestInputs {
  integration: Integration;
  connector: KnownConnector;
}

export interface FlowTestSources {
  /** The file with the Integration (it may hold its connector too). */
  manifest: string;
  /** Files or folders with connectors. */
  connectorFiles: readonly string[];
  /** The catalog folder, or false for none. */
  catalog: string | false;
  /** Which Integration, when the file has several. */
  integrationName?: string;
}

/**
 * The Integration to dry-run and the connector it resolves to (from its own file, the connector files,
 * then the catalog). Files that do not exist, a file without the Integration, and a connector not
 * found are usage errors naming the fix; a manifest that is not valid is an error listing its problems.
 */
export async function flowTestInputs(sources: FlowTestSources): Promise<FlowTestInputs> {
  const own = await readManifests([sources.manifest]);
  const integration = pickIntegration(own, sources);
  const others = await readManifests(sources.connectorFiles);
  const connectors: KnownConnector[] = [];
  for (const manifest of [...own, ...others]) {
    const connector = knownConnector(manifest.object, manifest.file);
    if (connector) connectors.push(connector);
    else if (others.includes(manifest)) refuseInvalid(manifest, ["Connector", "ClusterConnector"]);
  }
  if (sources.catalog !== false) connectors.push(...(await catalogConnectors(sources.catalog)));
  const namespace = integration.metadata.namespace ?? "default";
  const ref = integration.spec.connectorRef;
  const lookup = findConnector(connectors, ref, namespace);
  if (lookup.connector) return { integration, connector: lookup.connector };
  const where = `${[sources.manifest, ...sources.connectorFiles].join(", ")}${sources.catalog === false ? "" : " or the catalog"}`;
  const kind = ref.kind === "Connector" ? `Connector (namespace ${namespace})` : "connector";
  throw new UsageError(
    lookup.versions.length > 0
      ? `no version of ${kind} ${ref.name} in ${where} is in range "${ref.version ?? "*"}" (found ${lookup.versions.join(", ")}); pass --connector <file> with one in range`
      : `${kind} ${ref.name} not found in ${where}; pass --connector <file>`,
  );
}

async function readManifests(paths: readonly string[]): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of await manifestFiles(paths)) {
    const read = yamlManifests(await readFile(file, "utf8"), file);
    const errors = read.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) throw new Error(errors.map(diagnosticLine).join("\n"));
    manifests.push(...read.manifests);
  }
  return manifests;
}

function pickIntegration(manifests: Manifest[], sources: FlowTestSources): Integration {
  const integrations = manifests.filter(
    (m) => (m.object as { kind?: unknown } | null)?.kind === "Integration",
  );
  const name = (m: Manifest) => (m.object as Integration).metadata?.name;
  const wanted = sources.integrationName;
  const chosen = wanted === undefined ? integrations : integrations.filter((m) => name(m) === wanted);
  if (chosen.length === 1 && chosen[0]) {
    refuseInvalid(chosen[0], ["Integration"]);
    return chosen[0].object as Integration;
  }
  if (integrations.length === 0)
    throw new UsageError(
      `${sources.manifest}: no Integration in it; pass the file of the Integration to test`,
    );
  const names = integrations.map(name).join(", ");
  throw new UsageError(
    wanted === undefined
      ? `${sources.manifest} has ${integrations.length} Integrations (${names}); pass --integration <name>`
      : `${sources.manifest} has no Integration "${wanted}" (it has ${names})`,
  );
}

/** A manifest of one of these kinds that does not fit its schema stops the dry run, each problem placed. */
function refuseInvalid(manifest: Manifest, kinds: string[]): void {
  const kind = (manifest.object as { kind?: unknown } | null)?.kind;
  if (typeof kind !== "string" || !kinds.includes(kind)) return;
  const validation = validateManifest(manifest.object);
  if (validation.ok) return;
  const lines = validation.errors.map(({ path, message }) =>
    diagnosticLine({
      file: manifest.file,
      ...manifest.locate(path),
      path: [manifest.at, path].filter(Boolean).join("."),
      message,
      severity: "error",
    }),
  );
  throw new Error(
    `${lines.join("\n")}\n${kind} is not valid: fix it first (switchboard validate ${manifest.file})`,
  );
}
