import { manifestFiles as filesOf } from "../manifests/load-manifests.js";
import { UsageError } from "./usage-error.js";

/**
 * The files the given paths name, as `loadManifests` reads them (a folder's `.yaml`, `.yml` and
 * `.json` files, recursively, in name order), each once. A path that does not exist, or a folder with
 * no manifests, is a usage error naming it.
 */
export async function manifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let found: string[];
    try {
      found = await filesOf(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new UsageError(`${path}: no such file or folder`);
      throw error;
    }
    if (found.length === 0) throw new UsageError(`${path}: no .yaml, .yml, .json files in this folder`);
    files.push(...found);
  }
  return [...new Set(files)];
}
