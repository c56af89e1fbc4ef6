import type { Diagnostic } from "./diagnostic.js";
import type { ValidationReport } from "./validate-manifests.js";

/** `file:line:col: error: spec.flows[0].target.action: message`, as compilers write them. */
export function diagnosticLine(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.path ? `${d.path}: ` : ""}${d.message}`;
}

/** `2 errors in 1 file; 5 documents checked`, or `no errors; 5 documents checked`. */
export function summaryLine(report: ValidationReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === "error");
  const warnings = report.diagnostics.filter((d) => d.severity === "warning");
  const files = new Set(report.diagnostics.map((d) => d.file)).size;
  const found = [
    ...(errors.length > 0 ? [count(errors.length, "error")] : []),
    ...(warnings.length > 0 ? [count(warnings.length, "warning")] : []),
  ];
  const checked = `${count(report.documents, "document")} checked`;
  return found.length === 0
    ? `no errors; ${checked}`
    : `${found.join(" and ")} in ${count(files, "file")}; ${checked}`;
}

/** Every diagnostic on its line, then the summary. */
export function reportText(report: ValidationReport): string {
  return [...report.diagnostics.map(diagnosticLine), summaryLine(report)].join("\n");
}

/** The diagnostics as a JSON array of `{file, line, column, path, message, severity}`. */
export function reportJson(report: ValidationReport): string {
  return JSON.stringify(
    report.diagnostics.map(({ file, line, column, path, message, severity }) => ({
      file,
      line,
      column,
      path,
      message,
      severity,
    })),
    null,
    2,
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
