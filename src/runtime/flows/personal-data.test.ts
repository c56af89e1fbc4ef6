import { describe, expect, it } from "vitest";
import { personalDataMinimizer } from "./personal-data.js";

describe("personal data taken out of events", () => {
  const event = {
    email: "top@example.com",
    user: { email: "ada@example.com", name: "Ada", ssn: "123-45-6789" },
    team: { members: [{ email: "a@example.com", phone: "+1" }, { email: "b@example.com" }] },
    ticket: { id: "T-1" },
  };

  it("redacts and drops by path: * one segment, ** any number; arrays share their path", () => {
    const minimize = personalDataMinimizer({ redact: ["*.email", "**.phone"], drop: ["**.ssn"] });
    expect(minimize(event)).toEqual({
      email: "top@example.com",
      user: { email: "[REDACTED]", name: "Ada" },
      team: { members: [{ email: "a@example.com", phone: "[REDACTED]" }, { email: "b@example.com" }] },
      ticket: { id: "T-1" },
    });
    expect(personalDataMinimizer({ redact: ["**.email"], drop: [] })(event)).toMatchObject({
      email: "[REDACTED]",
      team: { members: [{ email: "[REDACTED]" }, { email: "[REDACTED]" }] },
    });
  });

  it("never changes the value it is given, and leaves scalars and unnamed fields alone", () => {
    const copy = structuredClone(event);
    personalDataMinimizer({ redact: ["**.email"], drop: ["user"] })(event);
    expect(event).toEqual(copy);
    expect(personalDataMinimizer({ redact: ["*.x"], drop: [] })("text")).toBe("text");
    expect(personalDataMinimizer({ redact: [], drop: [] })(event)).toBe(event);
  });
});
