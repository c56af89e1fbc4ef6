import { ApiError } from "../api-error.js";
import { compareBytewise } from "./go-text.js";
import {
  keyError,
  requirementError,
  type LabelOperator,
  type LabelRequirement,
} from "./label-requirement.js";
import { scan, type Token, type TokenKind } from "./label-selector-lexer.js";

export type { LabelOperator, LabelRequirement } from "./label-requirement.js";
export { labelMatcher, type LabelMatcher } from "./label-matcher.js";
export { labelSelectorMatcher, requirementsFromLabelSelector } from "./label-selector-object.js";

/**
 * Parses a label selector as apimachinery's `labels.Parse` does: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<2`, joined by commas, whitespace between tokens.
 * Errors are 400s carrying apimachinery's exact text. Requirements come back sorted by key, as
 * apimachinery returns them.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = new Parser(scan(selector)).parse();
  // Array.prototype.sort is stable, which Go's sort.Sort only is for the short lists it sees here.
  return requirements.sort((a, b) => compareBytewise(a.key, b.key));
}

/** A failure inside one requirement, which `parse` reports as `unable to parse requirement: ...`. */
class RequirementSyntaxError extends Error {}

type Context = "key-and-operator" | "values";

const operators: Partial<Record<TokenKind, LabelOperator>> = {
  in: "in",
  "=": "=",
  "==": "==",
  ">": "gt",
  "<": "lt",
  notin: "notin",
  "!=": "!=",
};

/** A port of apimachinery's `Parser`: the same lookahead, the same branches, the same messages. */
class Parser {
  #position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { kind, literal } = this.#lookahead("values");
      if (kind === "end") return requirements;
      if (kind !== "identifier" && kind !== "!")
        throw ApiError.badRequest(`found '${literal}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.#parseRequirement());
      } catch (error) {
        if (error instanceof RequirementSyntaxError)
          throw ApiError.badRequest(`unable to parse requirement: ${error.message}`);
        throw error;
      }
      const next = this.#consume("values");
      if (next.kind === "end") return requirements;
      if (next.kind !== ",")
        throw ApiError.badRequest(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.#lookahead("values");
      if (after.kind !== "identifier" && after.kind !== "!")
        throw ApiError.badRequest(`found '${after.literal}', expected: identifier after ','`);
    }
  }

  #parseRequirement(): LabelRequirement {
    const { key, operator: inferred } = this.#parseKeyAndInferOperator();
    if (inferred !== undefined) return requirement(key, inferred, []);
    const operator = this.#parseOperator();
    const values = operator === "in" || operator === "notin" ? this.#parseValues() : this.#parseExactValue();
    return requirement(key, operator, [...values].sort(compareBytewise));
  }

  // A key alone (followed by `,` or the end) is `exists`; `!key` is `!` whatever follows it.
  #parseKeyAndInferOperator(): { key: string; operator: "exists" | "!" | undefined } {
    let token = this.#consume("values");
    let operator: "exists" | "!" | undefined;
    if (token.kind === "!") {
      operator = "!";
      token = this.#consume("values");
    }
    if (token.kind !== "identifier")
      throw new RequirementSyntaxError(`found '${token.literal}', expected: identifier`);
    const invalid = keyError(token.literal);
    if (invalid !== undefined) throw new RequirementSyntaxError(invalid);
    const next = this.#lookahead("values").kind;
    if ((next === "end" || next === ",") && operator !== "!") operator = "exists";
    return { key: token.literal, operator };
  }

  #parseOperator(): LabelOperator {
    const { kind, literal } = this.#consume("key-and-operator");
    const operator = operators[kind];
    if (operator === undefined)
      throw new RequirementSyntaxError(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return operator;
  }

  // `(x,y)`; empty entries (`(,x)`, `(x,)`, `()`) are the empty string.
  #parseValues(): Set<string> {
    const open = this.#consume("values");
    if (open.kind !== "(") throw new RequirementSyntaxError(`found '${open.literal}' expected: '('`);
    const first = this.#lookahead("values");
    if (first.kind === ")") {
      this.#consume("values");
      return new Set([""]);
    }
    if (first.kind !== "identifier" && first.kind !== ",")
      throw new RequirementSyntaxError(`found '${first.literal}', expected: ',', ')' or identifier`);
    const values = this.#parseIdentifiersList();
    if (this.#consume("values").kind !== ")")
      throw new RequirementSyntaxError(`found '${first.literal}', expected: ')'`);
    return values;
  }

  #parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.#consume("values");
      if (token.kind === "identifier") {
        values.add(token.literal);
        const next = this.#lookahead("values");
        if (next.kind === ",") continue;
        if (next.kind === ")") return values;
        throw new RequirementSyntaxError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind !== ",")
        throw new RequirementSyntaxError(`found '${token.literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add("");
      const next = this.#lookahead("values").kind;
      if (next === ")") {
        values.add("");
        return values;
      }
      if (next === ",") {
        this.#consume("values");
        values.add("");
      }
    }
  }

  #parseExactValue(): Set<string> {
    const next = this.#lookahead("values").kind;
    if (next === "end" || next === ",") return new Set([""]);
    const token = this.#consume("values");
    if (token.kind === "identifier") return new Set([token.literal]);
    throw new RequirementSyntaxError(`found '${token.literal}', expected: identifier`);
  }

  #lookahead(context: Context): Token {
    return inContext(this.tokens[this.#position], context);
  }

  #consume(context: Context): Token {
    return inContext(this.tokens[this.#position++], context);
  }
}

// Where values are expected `in` and `notin` are plain words: `a in (in, notin)` is valid.
function inContext(token: Token | undefined, context: Context): Token {
  if (token === undefined) return { kind: "end", literal: "" };
  if (context === "values" && (token.kind === "in" || token.kind === "notin"))
    return { kind: "identifier", literal: token.literal };
  return token;
}

function requirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const invalid = requirementError(key, operator, values);
  if (invalid !== undefined) throw new RequirementSyntaxError(invalid);
  return { key, operator, values };
}
