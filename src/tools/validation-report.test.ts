import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostic.js";
import { diagnosticLine, reportJson, reportText, summaryLine } from "./validation-report.js";

const error: Diagnostic = {
  file: "integration.yaml",
  line: 30,
  column: 9,
  path: "spec.flows[0].target.action",
  message: '"add-nope" is not an action',
  severity: "error",
};
const syntax: Diagnostic = { ...error, line: 2, column: 1, path: "", message: "Tabs are not allowed" };
const warning: Diagnostic = { ...error, file: "b.yaml", severity: "warning", message: "deprecated" };

describe("the validation report", () => {
  it("writes each problem as a compiler does, with or without a field", () => {
    expect(diagnosticLine(error)).toBe(
      'integration.yaml:30:9: error: spec.flows[0].target.action: "add-nope" is not an action',
    );
    expect(diagnosticLine(syntax)).toBe("integration.yaml:2:1: error: Tabs are not allowed");
  });

  it("sums up errors, warnings, files and documents", () => {
    expect(summaryLine({ diagnostics: [error, syntax], files: 3, documents: 5 })).toBe(
      "2 errors in 1 file; 5 documents checked",
    );
    expect(summaryLine({ diagnostics: [error, warning], files: 3, documents: 1 })).toBe(
      "1 error and 1 warning in 2 files; 1 document checked",
    );
    expect(summaryLine({ diagnostics: [], files: 1, documents: 2 })).toBe("no errors; 2 documents checked");
  });

  it("prints the lines then the summary, or a JSON array", () => {
    const report = { diagnostics: [error], files: 1, documents: 1 };
    expect(reportText(report).split("\n")).toEqual([
      diagnosticLine(error),
      "1 error in 1 file; 1 document checked",
    ]);
    expect(JSON.parse(reportJson(report))).toEqual([error]);
    expect(JSON.parse(reportJson({ diagnostics: [], files: 1, documents: 1 }))).toEqual([]);
  });
});
