import type { Schema } from "./schema-builders.js";
import { array, enumeration, labelKey, named, object, string, stringMap } from "./schema-builders.js";

const requirement = named(
  "LabelSelectorRequirement",
  object(
    "A selector that contains values, a key, and an operator that relates the key and values.",
    {
      key: string("The label key that the selector applies to.", { pattern: labelKey, maxLength: 317 }),
      operator: enumeration("The key's relationship to a set of values.", [
        "In",
        "NotIn",
        "Exists",
        "DoesNotExist",
      ]),
      values: array(
        "The values for In and NotIn (non-empty); empty for Exists and DoesNotExist.",
        string("A label value.", { maxLength: 63 }),
        { maxItems: 64, "x-kubernetes-list-type": "atomic" },
      ),
    },
    ["key", "operator"],
  ),
);

/** metav1.LabelSelector: the same matching rules as a Deployment's selector or a NetworkPolicy's. */
export function labelSelector(description: string): Schema {
  return named(
    "LabelSelector",
    object(
      `${description} An empty selector matches everything.`,
      {
        matchLabels: stringMap(
          "Labels that must all be present with these values (each an `In` requirement with one value).",
          { additionalProperties: { type: "string", maxLength: 63 } },
        ),
        matchExpressions: array("Label requirements that must all hold.", requirement, {
          maxItems: 32,
          "x-kubernetes-list-type": "atomic",
        }),
      },
      [],
      { "x-kubernetes-map-type": "atomic" },
    ),
    "A label selector (metav1.LabelSelector): every matchLabels entry and matchExpressions requirement must hold; an empty selector matches everything.",
  );
}
