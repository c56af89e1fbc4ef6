import { describe, expect, it } from "vitest";
import { actionInputCheck } from "./action-input.js";

describe("an action's input against its input schema", () => {
  const check = actionInputCheck({
    type: "object",
    required: ["ticket", "text"],
    properties: { ticket: { type: "string" }, text: { type: "string", maxLength: 5 } },
  });

  it("accepts an input that fits", () => {
    expect(check({ ticket: "T-1", text: "hi" })).toBeUndefined();
  });

  it("names the first problem and its path", () => {
    expect(check({ ticket: "T-1" })).toBe("input: must have required property 'text'");
    expect(check({ ticket: 1, text: "hi" })).toBe("input.ticket: must be string");
    expect(check({ ticket: "T-1", text: "too long" })).toBe(
      "input.text: must NOT have more than 5 characters",
    );
  });
});
