/**
 * A port of apimachinery's label selector `Lexer`, kept structurally faithful so that the parser
 * sees the same tokens, and so reports the same errors, for every input kube-apiserver sees.
 */

export type TokenKind =
  "error" | "end" | ")" | "," | "!" | "==" | "=" | ">" | "identifier" | "in" | "<" | "!=" | "notin" | "(";

export interface Token {
  readonly kind: TokenKind;
  /** The text as written; for `end`, the empty string. */
  readonly literal: string;
}

// A Map, not an object literal: an identifier such as `constructor` must not find Object.prototype.
const literalTokens: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [")", ")"],
  [",", ","],
  ["!", "!"],
  ["==", "=="],
  ["=", "="],
  [">", ">"],
  ["in", "in"],
  ["<", "<"],
  ["!=", "!="],
  ["notin", "notin"],
  ["(", "("],
]);

/** Every token of the input, the last one always `end`. */
export function scan(input: string): Token[] {
  const lexer = new Lexer(input);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.lex();
    tokens.push(token);
    if (token.kind === "end") return tokens;
  }
}

function isWhitespace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

function isSpecialSymbol(c: string): boolean {
  return c === "=" || c === "!" || c === "(" || c === ")" || c === "," || c === ">" || c === "<";
}

// Go's lexer reads bytes and uses 0 for "no more input", so a NUL in the input ends a token or the
// whole selector just as the end of the string does; "\0" plays that part here.
const end = "\0";

class Lexer {
  #position = 0;

  constructor(private readonly input: string) {}

  lex(): Token {
    let c = this.#read();
    while (isWhitespace(c)) c = this.#read();
    if (c === end) return { kind: "end", literal: "" };
    this.#unread();
    return isSpecialSymbol(c) ? this.#scanSpecialSymbol() : this.#scanIdentifierOrKeyword();
  }

  #read(): string {
    if (this.#position >= this.input.length) return end;
    return this.input[this.#position++] ?? end;
  }

  #unread(): void {
    this.#position--;
  }

  #scanIdentifierOrKeyword(): Token {
    const start = this.#position;
    let stop = start;
    for (;;) {
      const c = this.#read();
      if (c === end) break;
      if (isSpecialSymbol(c) || isWhitespace(c)) {
        this.#unread();
        break;
      }
      stop = this.#position;
    }
    const literal = this.input.slice(start, stop);
    return { kind: literalTokens.get(literal) ?? "identifier", literal };
  }

  // The longest run of special symbols that is still a token: `!=` rather than `!` then `=`.
  #scanSpecialSymbol(): Token {
    let buffer = "";
    let last: Token | undefined;
    for (;;) {
      const c = this.#read();
      if (c === end) break;
      if (!isSpecialSymbol(c)) {
        this.#unread();
        break;
      }
      buffer += c;
      const kind = literalTokens.get(buffer);
      if (kind !== undefined) last = { kind, literal: buffer };
      else if (last !== undefined) {
        this.#unread();
        break;
      }
    }
    return last ?? { kind: "error", literal: `error expected: keyword found '${buffer}'` };
  }
}
