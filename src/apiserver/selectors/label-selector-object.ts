import { ApiError } from "../api-error.js";
import { quote } from "./go-text.js";
import { labelMatcher, matchEverything, matchNothing, type LabelMatcher } from "./label-matcher.js";
import { requirementError, type LabelOperator, type LabelRequirement } from "./label-requirement.js";

/** A `metav1.LabelSelector`, as NetworkPolicy, PodDisruptionBudget and IntegrationPolicy carry it. */
export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`; anything else is refused. */
  operator: string;
  values?: readonly string[];
}

const operators: Readonly<Record<string, LabelOperator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * A `metav1.LabelSelector` as requirements, with the checks and messages of apimachinery's
 * `metav1.LabelSelectorAsSelector`: matchLabels first, then matchExpressions in order, stopping at
 * the first invalid one.
 */
export function requirementsFromLabelSelector(selector: LabelSelector): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    requirements.push(checked(key, "=", [value]));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = Object.hasOwn(operators, expression.operator)
      ? operators[expression.operator]
      : undefined;
    if (operator === undefined)
      throw ApiError.badRequest(`${quote(expression.operator)} is not a valid label selector operator`);
    requirements.push(checked(expression.key, operator, [...(expression.values ?? [])]));
  }
  return requirements;
}

/**
 * A matcher for a `metav1.LabelSelector` field, with apimachinery's reading of absence: a missing
 * (null) selector matches nothing, an empty one (`{}`) matches everything. That is the difference
 * between a NetworkPolicy peer without `namespaceSelector` and one with `namespaceSelector: {}`.
 */
export function labelSelectorMatcher(selector: LabelSelector | null | undefined): LabelMatcher {
  if (selector === null || selector === undefined) return matchNothing;
  const requirements = requirementsFromLabelSelector(selector);
  return requirements.length === 0 ? matchEverything : labelMatcher(requirements);
}

function checked(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const invalid = requirementError(key, operator, values);
  if (invalid !== undefined) throw ApiError.badRequest(invalid);
  return { key, operator, values };
}
