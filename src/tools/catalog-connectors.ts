import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { KnownConnector } from "./known-connectors.js";
import { knownConnector } from "./known-connectors.js";
import { manifestFiles } from "./manifest-files.js";
import { UsageError } from "./usage-error.js";
import { yamlManifests } from "./yaml-manifests.js";

/** The catalog this package ships: `connectors/` at its root, from `src/tools/` or `dist/tools/`. */
export const packageCatalog = fileURLToPath(new URL("../../connectors", import.meta.url));

/**
 * The valid connectors of a catalog folder (`connectors/<category>/<id>.yaml`). What is not a valid
 * connector is passed over: checking the catalog is its own tests' job, not its users'.
 */
export async function catalogConnectors(folder: string): Promise<KnownConnector[]> {
  let files: string[];
  try {
    files = await manifestFiles([folder]);
  } catch (error) {
    if (error instanceof UsageError)
      throw new UsageError(`catalog ${error.message}: pass --catalog <dir>, or --no-catalog`);
    throw error;
  }
  const connectors: KnownConnector[] = [];
  for (const file of files) {
    for (const { object } of yamlManifests(await readFile(file, "utf8"), file).manifests) {
      const connector = knownConnector(object, file);
      if (connector) connectors.push(connector);
    }
  }
  return connectors;
}
