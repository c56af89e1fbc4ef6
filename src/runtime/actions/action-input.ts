import { Ajv } from "ajv";

/** Says what is wrong with an action's input (`input.ticket: must be string`), or undefined when it fits. */
export type ActionInputCheck = (input: unknown) => string | undefined;

const ajv = new Ajv({ allErrors: false, strict: false });

/** The check of an action's `inputSchema`, compiled once; the first problem names its path. */
export function actionInputCheck(inputSchema: Record<string, unknown>): ActionInputCheck {
  const validate = ajv.compile(inputSchema);
  return (input) => {
    if (validate(input)) return undefined;
    const first = validate.errors?.[0];
    return `input${(first?.instancePath ?? "").replace(/\//g, ".")}: ${first?.message ?? "is invalid"}`;
  };
}
