import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import * as yaml from "js-yaml";
import type { KubeObject } from "../apiserver/types.js";

export interface LoadedManifest {
  object: KubeObject;
  file: string;
  /** 0-based index of the document within its file. */
  document: number;
}

/** Reads every `.yaml`, `.yml` and `.json` file of the given files or folders (recursively), in name order. */
export async function loadManifests(paths: string[]): Promise<LoadedManifest[]> {
  const manifests: LoadedManifest[] = [];
  for (const path of paths) {
    for (const file of await manifestFiles(path))
      manifests.push(...parseManifests(await readFile(file, "utf8"), file));
  }
  return manifests;
}

export function parseManifests(text: string, file: string): LoadedManifest[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    throw new Error(
      `${file}: not valid YAML: ${error instanceof Error ? error.message.split("\n", 1)[0] : String(error)}`,
      { cause: error },
    );
  }
  const manifests: LoadedManifest[] = [];
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    if (typeof document !== "object" || Array.isArray(document)) {
      throw new Error(`${file}: document ${index + 1} is not a Kubernetes object`);
    }
    const object = document as Partial<KubeObject>;
    if (object.kind?.endsWith("List") && Array.isArray(object.items)) {
      for (const item of object.items as KubeObject[])
        manifests.push({ object: item, file, document: index });
      return;
    }
    if (!object.apiVersion || !object.kind)
      throw new Error(`${file}: document ${index + 1} has no apiVersion or kind`);
    manifests.push({ object: { metadata: {}, ...object } as KubeObject, file, document: index });
  });
  return manifests;
}

/** The manifest files of a file or folder (recursively), in name order. */
export async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const files: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await manifestFiles(full)));
    else if ([".yaml", ".yml", ".json"].includes(extname(entry.name))) files.push(full);
  }
  return files;
}
