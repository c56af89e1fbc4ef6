import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ConnectorSpec, CredentialSpec, IntegrationSpec } from "../../api/types.js";
import type { PersonalDataRules } from "../flows/personal-data.js";

/** What the operator's ConfigMap gives a runtime (`runtime.json`). */
export interface RuntimeConfig {
  integration: { namespace: string; name: string; spec: IntegrationSpec };
  connector: { kind: string; name: string; version: string; spec: ConnectorSpec };
  credential?: CredentialSpec;
  /** What the cluster's IntegrationPolicies ask of this runtime. */
  governance?: { personalData?: PersonalDataRules };
}

/** Reads and checks `runtime.json`, naming the file and the field when something is wrong. */
export async function loadRuntimeConfig(file: string): Promise<RuntimeConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(
      `${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const config = parsed as Partial<RuntimeConfig> | null;
  const missing = (
    [
      ["integration.name", config?.integration?.name],
      ["integration.namespace", config?.integration?.namespace],
      ["integration.spec", config?.integration?.spec],
      ["connector.name", config?.connector?.name],
      ["connector.spec", config?.connector?.spec],
    ] as [string, unknown][]
  ).find(([, value]) => value === undefined || value === null);
  if (missing) throw new Error(`${file}: ${missing[0]} is missing`);
  return config as RuntimeConfig;
}

/** The mounted Secrets of sinks, one folder each, by `<secret name>/<key>`. */
export async function readSinkSecrets(folder: string | undefined): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const name of await entries(folder))
    for (const [key, value] of await readSecretFolder(join(folder ?? "", name)))
      values.set(`${name}/${key}`, value);
  return values;
}

/**
 * The files of a mounted Secret, by key: what a pod sees. A folder that does not exist is an empty
 * Secret.
 */
export async function readSecretFolder(folder: string | undefined): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const name of await entries(folder))
    values.set(name, (await readFile(join(folder ?? "", name), "utf8")).replace(/\r?\n$/, ""));
  return values;
}

/** A mounted folder's entries without kubelet's dot files (`..data`, `..2026_11_25...`); none when absent. */
async function entries(folder: string | undefined): Promise<string[]> {
  if (!folder) return [];
  try {
    return (await readdir(folder)).filter((name) => !name.startsWith("."));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
