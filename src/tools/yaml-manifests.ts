import type { Diagnostic } from "./diagnostic.js";
import type { SourcePosition } from "./field-position.js";
import { parseYamlSource } from "./yaml-source.js";

/** One object of a manifest file, with where its fields are. */
export interface Manifest {
  file: string;
  object: unknown;
  /** Where the object is in its document: "" or, in a List, `items[2]`; field paths start from here. */
  at: string;
  /** Where a field of the object is (`spec.config.host`), or its nearest parent in the source. */
  locate: (path: string) => SourcePosition;
}

/**
 * The objects of a manifest file's text, one per YAML document and one per item of a `*List`, and the
 * file's YAML syntax problems with their positions.
 */
export function yamlManifests(
  text: string,
  file: string,
): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
  const { documents, problems } = parseYamlSource(text);
  const diagnostics: Diagnostic[] = problems.map(({ line, column, message, severity }) => ({
    file,
    line,
    column,
    path: "",
    message,
    severity,
  }));
  const manifests: Manifest[] = [];
  for (const { value, locate } of documents) {
    const items = (value as { kind?: unknown; items?: unknown }).items;
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === "string" && kind.endsWith("List") && Array.isArray(items)) {
      items.forEach((object: unknown, index) => {
        const at = `items[${index}]`;
        manifests.push({ file, object, at, locate: (path) => locate(path ? `${at}.${path}` : at) });
      });
      continue;
    }
    manifests.push({ file, object: value, at: "", locate });
  }
  return { manifests, diagnostics };
}
