import { aggregateMessage, invalidValue } from "./field-errors.js";
import { parseInt64 } from "./go-text.js";
import { labelValueErrors, qualifiedNameErrors } from "./label-validation.js";

/** apimachinery's `selection.Operator` values, spelled as it spells them. */
export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One term of a label selector: `key operator values`. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and distinct when parsed from a string, as apimachinery keeps them in a `sets.String`. */
  readonly values: readonly string[];
}

/**
 * The checks of apimachinery's `labels.NewRequirement`, as the text of the error it returns, or
 * undefined when the requirement is valid. `path` is the `field.Path` prefix; undefined is Go's nil,
 * under which the key is reported as `key` and values as `values[i][key]`.
 */
export function requirementError(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
  path?: string,
): string | undefined {
  const errors: string[] = [];
  const keyErrors = qualifiedNameErrors(key);
  if (keyErrors.length > 0) errors.push(invalidValue(child(path, "key"), key, keyErrors.join("; ")));
  const valuesPath = child(path, "values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0)
        errors.push(
          invalidValue(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"),
        );
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1)
        errors.push(invalidValue(valuesPath, values, "exact-match compatibility requires one single value"));
      break;
    case "exists":
    case "!":
      if (values.length !== 0)
        errors.push(
          invalidValue(valuesPath, values, "values set must be empty for exists and does not exist"),
        );
      break;
    case "gt":
    case "lt":
      if (values.length !== 1)
        errors.push(
          invalidValue(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined)
          errors.push(
            invalidValue(
              `${valuesPath}[${i}]`,
              value,
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
      });
      break;
  }
  values.forEach((value, i) => {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0)
      errors.push(invalidValue(`${valuesPath}[${i}][${key}]`, value, valueErrors.join("; ")));
  });
  return errors.length > 0 ? aggregateMessage(errors) : undefined;
}

/** The key check alone, as the string parser runs it before reading an operator (with a nil path). */
export function keyError(key: string): string | undefined {
  const errors = qualifiedNameErrors(key);
  return errors.length > 0 ? invalidValue("<nil>", key, errors.join("; ")) : undefined;
}

function child(path: string | undefined, name: string): string {
  return path === undefined ? name : `${path}.${name}`;
}
