import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { UsageError } from "./usage-error.js";

const manifestExtensions = [".yaml", ".yml", ".json"];

/**
 * The files the given paths name: a file as it is, a folder's `.yaml`, `.yml` and `.json` files
 * (recursively, in name order). A path that does not exist, or a folder with no manifests, is a
 * usage error naming it.
 */
export async function manifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isFile: boolean;
    try {
      isFile = (await stat(path)).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new UsageError(`${path}: no such file or folder`);
      throw error;
    }
    if (isFile) {
      files.push(path);
      continue;
    }
    const found = await folderFiles(path);
    if (found.length === 0)
      throw new UsageError(`${path}: no ${manifestExtensions.join(", ")} files in this folder`);
    files.push(...found);
  }
  return [...new Set(files)];
}

async function folderFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await folderFiles(path)));
    else if (manifestExtensions.includes(extname(entry.name))) files.push(path);
  }
  return files;
}
