import type { Condition } from "../../api/types.js";

export interface ConditionInput {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

/**
 * Sets one condition as apimachinery's `meta.SetStatusCondition` does: lastTransitionTime moves only
 * when the status changes, so rewriting the same condition is not a change.
 */
export function setCondition(
  conditions: Condition[],
  input: ConditionInput,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const existing = conditions.find((c) => c.type === input.type);
  const lastTransitionTime =
    existing && existing.status === input.status
      ? existing.lastTransitionTime
      : now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const next: Condition = {
    ...input,
    lastTransitionTime,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  return existing ? conditions.map((c) => (c.type === input.type ? next : c)) : [...conditions, next];
}

export function removeCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}
