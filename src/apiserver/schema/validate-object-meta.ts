import type { FieldError, ObjectMeta } from "../types.js";

export type NameValidation = "dns1123-subdomain" | "dns1123-label" | "path-segment";

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const maxAnnotationsBytes = 256 * 1024;

const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** apimachinery's `ValidateObjectMeta`: name, generateName, namespace, labels, annotations, finalizers. */
export function validateObjectMeta(meta: ObjectMeta, nameValidation: NameValidation): FieldError[] {
  const errors: FieldError[] = [];
  const name = meta.name ?? "";
  const invalid = (field: string, value: string, detail: string): void => {
    errors.push({
      reason: "FieldValueInvalid",
      field,
      message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    });
  };
  if (!name)
    errors.push({
      reason: "FieldValueRequired",
      field: "metadata.name",
      message: "Required value: name or generateName is required",
    });
  else {
    const problem = nameProblem(name, nameValidation);
    if (problem) invalid("metadata.name", name, problem);
  }
  if (
    meta.namespace !== undefined &&
    meta.namespace !== "" &&
    (meta.namespace.length > 63 || !dns1123Label.test(meta.namespace))
  ) {
    invalid("metadata.namespace", meta.namespace, labelMessage);
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) invalid("metadata.labels", key, keyProblem);
    if (typeof value !== "string" || value.length > 63 || !labelValue.test(value)) {
      invalid(
        `metadata.labels`,
        String(value),
        value.length > 63
          ? "must be no more than 63 characters"
          : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      );
    }
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) invalid("metadata.annotations", key, keyProblem);
    annotationBytes += key.length + (typeof value === "string" ? value.length : 0);
  }
  if (annotationBytes > maxAnnotationsBytes) {
    errors.push({
      reason: "FieldValueTooLong",
      field: "metadata.annotations",
      message: `Too long: must have at most ${maxAnnotationsBytes} bytes`,
    });
  }
  for (const [i, finalizer] of (meta.finalizers ?? []).entries()) {
    const problem = qualifiedNameProblem(finalizer);
    if (problem) invalid(`metadata.finalizers[${i}]`, finalizer, problem);
  }
  return errors;
}

function nameProblem(name: string, validation: NameValidation): string | undefined {
  switch (validation) {
    case "dns1123-label":
      return name.length > 63
        ? "must be no more than 63 characters"
        : dns1123Label.test(name)
          ? undefined
          : labelMessage;
    case "dns1123-subdomain":
      return name.length > 253
        ? "must be no more than 253 characters"
        : dns1123Subdomain.test(name)
          ? undefined
          : subdomainMessage;
    case "path-segment":
      if (name === "." || name === "..") return `may not be '${name}'`;
      return /[/%]/.test(name) ? `may not contain '${name.includes("/") ? "/" : "%"}'` : undefined;
  }
}

function qualifiedNameProblem(value: string): string | undefined {
  const slash = value.lastIndexOf("/");
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))
  ) {
    return `prefix part ${subdomainMessage}`;
  }
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!qualifiedNamePart.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  }
  return undefined;
}
