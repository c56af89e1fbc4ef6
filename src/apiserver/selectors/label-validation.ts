import { byteLength } from "./go-text.js";

/**
 * apimachinery's `validation.IsQualifiedName` and `IsValidLabelValue`, with their messages as
 * Kubernetes v1.32 (the version this server reports) words them; clients and tests match on the text.
 */

const qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const qualifiedNameMessage =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedName = new RegExp(`^${qualifiedNameFmt}$`);

const dns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const dns1123SubdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainMaxLength = 253;
const dns1123Subdomain = new RegExp(`^${dns1123SubdomainFmt}$`);

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueMaxLength = 63;
const labelValue = new RegExp(`^${labelValueFmt}$`);

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function qualifiedNameErrors(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errors.push(`prefix part ${emptyError}`);
    else errors.push(...dns1123SubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameMessage, qualifiedNameFmt, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push(`name part ${emptyError}`);
  else if (byteLength(name) > qualifiedNameMaxLength)
    errors.push(`name part ${maxLengthError(qualifiedNameMaxLength)}`);
  // Not an else: an empty name fails the pattern too, and Go reports both.
  if (!qualifiedName.test(name))
    errors.push(
      `name part ${regexError(qualifiedNameMessage, qualifiedNameFmt, "MyName", "my.name", "123-abc")}`,
    );
  return errors;
}

/** A label value: empty, or at most 63 characters of the qualified-name alphabet. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > labelValueMaxLength) errors.push(maxLengthError(labelValueMaxLength));
  if (!labelValue.test(value))
    errors.push(regexError(labelValueMessage, labelValueFmt, "MyValue", "my_value", "12345"));
  return errors;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > dns1123SubdomainMaxLength) errors.push(maxLengthError(dns1123SubdomainMaxLength));
  if (!dns1123Subdomain.test(value))
    errors.push(regexError(dns1123SubdomainMessage, dns1123SubdomainFmt, "example.com"));
  return errors;
}

const emptyError = "must be non-empty";

function maxLengthError(length: number): string {
  return `must be no more than ${length} characters`;
}

// validation.RegexError, including its double space before each "or".
function regexError(message: string, pattern: string, ...examples: string[]): string {
  const shown = examples.map((example, i) => `${i > 0 ? " or " : ""}'${example}', `).join("");
  return `${message} (e.g. ${shown}regex used for validation is '${pattern}')`;
}
