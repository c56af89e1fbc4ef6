import jsonata from "jsonata";

export type Expression = (input: unknown, bindings?: Record<string, unknown>) => Promise<unknown>;

/**
 * A JSONata expression compiled once, at start. A syntax error names where it is (`flow "x": filter
 * does not compile at position 12: ...`) so a bad expression stops the runtime with a clear message
 * rather than failing each event.
 */
export function compileExpression(source: string, where: string): Expression {
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = parse(source);
  } catch (error) {
    const detail = error as { message?: string; position?: number };
    throw new Error(
      `${where} does not compile${detail.position !== undefined ? ` at position ${detail.position}` : ""}: ${detail.message ?? String(error)}`,
      { cause: error },
    );
  }
  return (input, bindings) => compiled.evaluate(input, bindings);
}

/**
 * Parsed expressions by source, shared: admission checks the same few expressions again and again. A
 * parsed expression keeps no state between evaluations (bindings are per call), so sharing is safe.
 */
const parsed = new Map<string, { expression: ReturnType<typeof jsonata> } | { error: unknown }>();
const parsedLimit = 2_000;

function parse(source: string): ReturnType<typeof jsonata> {
  let entry = parsed.get(source);
  if (!entry) {
    try {
      entry = { expression: jsonata(source) };
    } catch (error) {
      entry = { error };
    }
    if (parsed.size >= parsedLimit) parsed.delete(parsed.keys().next().value as string);
    parsed.set(source, entry);
  }
  if ("error" in entry) throw entry.error;
  return entry.expression;
}
