import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import type { EventDefinition } from "../../api/types.js";

/** The payload schemas of a connector's events, compiled once; `check` names the first failing path. */
export class EventSchemas {
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(events: readonly EventDefinition[]) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    for (const event of events) if (event.schema) this.#validators.set(event.type, ajv.compile(event.schema));
  }

  /** Undefined when the payload fits (or the event has no schema), else what is wrong and where. */
  check(type: string, payload: unknown): string | undefined {
    const validate = this.#validators.get(type);
    if (!validate || validate(payload)) return undefined;
    const error = validate.errors?.[0];
    const path = (error?.instancePath ?? "").replace(/\//g, ".");
    const missing =
      error?.keyword === "required"
        ? `.${String((error.params as { missingProperty?: string }).missingProperty)}`
        : "";
    return `event ${type}: payload${path}${missing} ${error?.keyword === "required" ? "is required" : (error?.message ?? "is invalid")}`;
  }
}
