import { parseInt64 } from "./go-text.js";
import type { LabelRequirement } from "./label-requirement.js";

/** Whether an object's labels satisfy a selector. `undefined` is an object without labels. */
export type LabelMatcher = (labels: Readonly<Record<string, string>> | undefined) => boolean;

export const matchEverything: LabelMatcher = () => true;
export const matchNothing: LabelMatcher = () => false;

/**
 * Compiles requirements, ANDed, into one function, once per request: per object it does one
 * property read per requirement and allocates nothing (a Set stands in for long value lists).
 * Semantics are apimachinery's `Requirement.Matches`: `!=` and `notin` match an absent label.
 */
export function labelMatcher(requirements: readonly LabelRequirement[]): LabelMatcher {
  const predicates = requirements.map(compile);
  if (predicates.length === 0) return matchEverything;
  if (predicates.length === 1) return predicates[0] ?? matchEverything;
  return (labels) => {
    for (const predicate of predicates) if (!predicate(labels)) return false;
    return true;
  };
}

// Labels come from JSON, so a key like `constructor` can reach Object.prototype; only an own string
// value counts as present, and prototype members are never strings.
function compile({ key, operator, values }: LabelRequirement): LabelMatcher {
  const has = membership(values);
  switch (operator) {
    case "=":
    case "==":
    case "in":
      return (labels) => {
        const value = labels?.[key];
        return typeof value === "string" && has(value);
      };
    case "!=":
    case "notin":
      return (labels) => {
        const value = labels?.[key];
        return typeof value !== "string" || !has(value);
      };
    case "exists":
      return (labels) => typeof labels?.[key] === "string";
    case "!":
      return (labels) => typeof labels?.[key] !== "string";
    case "gt":
    case "lt": {
      const bound = values.length === 1 ? parseInt64(values[0] ?? "") : undefined;
      if (bound === undefined) return matchNothing;
      const greater = operator === "gt";
      return (labels) => {
        const value = labels?.[key];
        if (typeof value !== "string") return false;
        const number = parseInt64(value);
        if (number === undefined) return false;
        return greater ? number > bound : number < bound;
      };
    }
  }
}

function membership(values: readonly string[]): (value: string) => boolean {
  if (values.length === 1) {
    const only = values[0];
    return (value) => value === only;
  }
  if (values.length <= 4) return (value) => values.includes(value);
  const set = new Set(values);
  return (value) => set.has(value);
}
