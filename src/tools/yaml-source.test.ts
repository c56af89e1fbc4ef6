import { describe, expect, it } from "vitest";
import { parseYamlSource } from "./yaml-source.js";

describe("YAML sources", () => {
  it("reads every document with positions, leaving out empty ones", () => {
    const { documents, problems } = parseYamlSource(
      "kind: A\nspec:\n  x: 1\n---\n# nothing here\n---\nkind: B\n",
    );
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.index, d.value])).toEqual([
      [0, { kind: "A", spec: { x: 1 } }],
      [2, { kind: "B" }],
    ]);
    expect(documents[0]?.locate("spec.x")).toEqual({ line: 3, column: 3 });
    expect(documents[1]?.locate("kind")).toEqual({ line: 7, column: 1 });
  });

  it("reports a syntax error where it is and still reads the other documents", () => {
    const { documents, problems } = parseYamlSource("kind: A\nspec: [1, 2\n---\nkind: B\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, column: 1, severity: "error" });
    expect(problems[0]?.message).toMatch(/^Flow sequence in block collection must be sufficiently indented/);
    expect(problems[0]?.message).not.toMatch(/at line/);
    expect(documents.map((d) => d.value)).toEqual([{ kind: "B" }]);
  });

  it("refuses duplicate keys, naming the second", () => {
    const { documents, problems } = parseYamlSource("kind: A\nspec:\n  x: 1\n  x: 2\n");
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ line: 4, column: 3, message: "Map keys must be unique", severity: "error" }]);
  });

  it("reads nothing from an empty file", () => {
    expect(parseYamlSource("")).toEqual({ documents: [], problems: [] });
  });
});
