import { readFile } from "node:fs/promises";
import { catalogConnectors } from "./catalog-connectors.js";
import type { Diagnostic } from "./diagnostic.js";
import { offlinePolicyViolations, policiesIn } from "./policy/offline-policies.js";
import type { KnownConnector } from "./known-connectors.js";
import { knownConnector } from "./known-connectors.js";
import { manifestFiles } from "./manifest-files.js";
import { manifestProblems } from "./manifest-problems.js";
import type { Manifest } from "./yaml-manifests.js";
import { yamlManifests } from "./yaml-manifests.js";

export interface ValidateOptions {
  /** Files and folders (walked for `.yaml`, `.yml` and `.json`). */
  paths: readonly string[];
  /** The catalog folder Integrations' connectors are also looked for in, or false for none. */
  catalog: string | false;
  /** Files or folders of IntegrationPolicies to check the manifests against, besides those among them. */
  policies?: readonly string[];
}

export interface ValidationReport {
  /** By file, then by place in the file. */
  diagnostics: Diagnostic[];
  files: number;
  /** The objects read: documents, and the items of Lists. */
  documents: number;
}

/**
 * Validates every manifest of the given files offline, as the API server, the operator and the
 * runtime would: YAML syntax, each Switchboard kind's schema, connectors' semantics, and Integrations
 * against their connector (from the same files or the catalog). Each problem is placed at its field in
 * the source. A path that does not exist is a `UsageError`.
 */
export async function validateManifests(options: ValidateOptions): Promise<ValidationReport> {
  const files = await manifestFiles(options.paths);
  const catalog = options.catalog === false ? [] : await catalogConnectors(options.catalog);
  const diagnostics: Diagnostic[] = [];
  const manifests: Manifest[] = [];
  for (const file of files) {
    const read = yamlManifests(await readFile(file, "utf8"), file);
    diagnostics.push(...read.diagnostics);
    manifests.push(...read.manifests);
  }
  // The given files' connectors first: where both have a version, theirs is the one checked against.
  const connectors: KnownConnector[] = [
    ...manifests.map((m) => knownConnector(m.object, m.file)).filter((c) => c !== undefined),
    ...catalog,
  ];
  for (const manifest of manifests) {
    for (const problem of manifestProblems(manifest.object, connectors, {
      catalog: options.catalog !== false,
    })) {
      const { line, column } = manifest.locate(problem.path);
      diagnostics.push({
        file: manifest.file,
        line,
        column,
        path: [manifest.at, problem.path].filter(Boolean).join("."),
        message: problem.message,
        severity: problem.severity ?? "error",
      });
    }
  }
  const policyManifests: Manifest[] = [];
  for (const file of await manifestFiles(options.policies ?? [])) {
    const read = yamlManifests(await readFile(file, "utf8"), file);
    diagnostics.push(...read.diagnostics);
    policyManifests.push(...read.manifests);
  }
  const policies = [...policiesIn(policyManifests), ...policiesIn(manifests)];
  for (const { manifest, violation } of offlinePolicyViolations(manifests, connectors, policies)) {
    const { line, column } = manifest.locate(violation.field);
    diagnostics.push({
      file: manifest.file,
      line,
      column,
      path: [manifest.at, violation.field].filter(Boolean).join("."),
      message: `${violation.enforcement}: ${violation.message}`,
      severity: violation.enforcement === "deny" ? "error" : "warning",
      policy: violation.policy,
    });
  }
  const order = new Map(files.map((file, index) => [file, index]));
  diagnostics.sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column,
  );
  return { diagnostics, files: files.length, documents: manifests.length };
}
