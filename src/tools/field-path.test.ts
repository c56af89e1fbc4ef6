import { describe, expect, it } from "vitest";
import { parseFieldPath } from "./field-path.js";

describe("field paths", () => {
  it("splits keys and sequence indexes", () => {
    expect(parseFieldPath("spec.flows[0].target.action")).toEqual(["spec", "flows", 0, "target", "action"]);
    expect(parseFieldPath("items[2].spec.actions[10]")).toEqual(["items", 2, "spec", "actions", 10]);
    expect(parseFieldPath("metadata.name")).toEqual(["metadata", "name"]);
  });

  it("gives no segments for the object itself, and splits keys with dots in them", () => {
    expect(parseFieldPath("")).toEqual([]);
    expect(parseFieldPath("metadata.labels.switchboard.dev/owner")).toEqual([
      "metadata",
      "labels",
      "switchboard",
      "dev/owner",
    ]);
  });
});
