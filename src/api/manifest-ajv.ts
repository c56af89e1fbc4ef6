import type { ErrorObject } from "ajv";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { kubernetesKeywords } from "./openapi-to-json-schema.js";

/**
 * The ajv instance Switchboard's schemas compile with: strict about the schemas themselves (a
 * misspelled keyword or format fails compilation instead of validating nothing), every error
 * reported, and the Kubernetes formats and vendor extensions known.
 */
export function createManifestAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // parentSchema lets a message tell an int-or-string field from other anyOf schemas.
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictRequired: false,
  });
  addFormats.default(ajv);
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  for (const keyword of kubernetesKeywords) {
    if (keyword !== "x-kubernetes-list-map-keys") ajv.addKeyword({ keyword });
  }
  ajv.addKeyword({
    keyword: "x-kubernetes-list-map-keys",
    type: "array",
    schemaType: "array",
    errors: true,
    validate: listMapKeys,
  });
  return ajv;
}

// List-map keys identify entries: two entries with the same keys are a duplicate, as kube reports.
function listMapKeys(keys: string[], data: unknown[]): boolean {
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    if (!item || typeof item !== "object") return;
    const values = keys.map((k) => (item as Record<string, unknown>)[k]);
    const first = seen.get(JSON.stringify(values));
    if (first === undefined) seen.set(JSON.stringify(values), index);
    else {
      const shown = keys.map((k, i) => `${k} ${JSON.stringify(values[i])}`).join(", ");
      errors.push({ message: `[${index}] repeats [${first}] (${shown})`, params: { index } });
    }
  });
  (listMapKeys as { errors?: Partial<ErrorObject>[] }).errors = errors;
  return errors.length === 0;
}
