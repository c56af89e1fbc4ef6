/** A problem found in a manifest, at a field (`spec.flows[0].target.action`, or "" for the object). */
export interface FieldProblem {
  path: string;
  message: string;
  /** @default "error" */
  severity?: Severity;
}

export type Severity = "error" | "warning";

/** A problem where it is in the source, as a compiler reports it; lines and columns from 1. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  severity: Severity;
  /** The IntegrationPolicy, when the problem is a policy violation. */
  policy?: string;
}
