import type { YAMLError } from "yaml";
import { LineCounter, parseAllDocuments } from "yaml";
import type { Severity } from "./diagnostic.js";
import type { SourcePosition } from "./field-position.js";
import { fieldPosition } from "./field-position.js";

/** A YAML document of a file, as a value, that knows where each of its fields is. */
export interface SourceDocument {
  /** Its place in the file, from 0. */
  index: number;
  value: unknown;
  /** Where a field is (`spec.flows[0].filter`), or its nearest parent that the source has. */
  locate: (path: string) => SourcePosition;
}

/** A syntax error (or warning) of the YAML itself, where the parser found it. */
export interface SourceProblem extends SourcePosition {
  message: string;
  severity: Severity;
}

/**
 * The documents of a YAML (or JSON) file with source positions. A document with a syntax error is
 * left out and its errors reported; the others are still read. Empty documents are left out.
 */
export function parseYamlSource(text: string): { documents: SourceDocument[]; problems: SourceProblem[] } {
  const lineCounter = new LineCounter();
  const documents: SourceDocument[] = [];
  const problems: SourceProblem[] = [];
  const describe = (error: YAMLError, severity: Severity): SourceProblem => {
    const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    // The parser's message ends with "at line L, column C:" and a quote of the source: the position says it.
    const message = (error.message.split("\n", 1)[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { line: at.line, column: at.col, message, severity };
  };
  for (const [index, document] of parseAllDocuments(text, { lineCounter }).entries()) {
    problems.push(...document.errors.map((error) => describe(error, "error")));
    problems.push(...document.warnings.map((warning) => describe(warning, "warning")));
    if (document.errors.length > 0) continue;
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      const { line, col } = lineCounter.linePos(document.range[0]);
      problems.push({ line, column: col, message: (error as Error).message, severity: "error" });
      continue;
    }
    if (value === null || value === undefined) continue;
    documents.push({ index, value, locate: (path) => fieldPosition(document, lineCounter, path) });
  }
  return { documents, problems };
}
