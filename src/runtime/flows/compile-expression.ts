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
    compiled = jsonata(source);
  } catch (error) {
    const detail = error as { message?: string; position?: number };
    throw new Error(
      `${where} does not compile${detail.position !== undefined ? ` at position ${detail.position}` : ""}: ${detail.message ?? String(error)}`,
      { cause: error },
    );
  }
  return (input, bindings) => compiled.evaluate(input, bindings);
}
