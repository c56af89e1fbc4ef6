/**
 * Type information for server-side apply: how each field of an object merges and is tracked. The
 * model is in `type-model.ts`; it comes from a CRD version's schema or from the table of built-in kinds.
 */
export type { ListType, MapType, ObjectType, ScalarType, TypeInfo, UntypedType } from "./type-model.js";
export { typeInfoFromSchema } from "./schema-type-info.js";
export { builtinTypeInfo } from "./builtin-type-info.js";
