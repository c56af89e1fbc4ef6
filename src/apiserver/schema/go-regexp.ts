/**
 * Go (RE2) regular expressions run as JavaScript ones. CRD `pattern`s and CEL `matches()` are RE2;
 * most patterns mean the same in both, but RE2's leading flag groups (`(?i)`), `\z`, `\Q...\E`,
 * POSIX classes, escaped punctuation and `.` (which in RE2 matches `\r`) need rewriting, and what RE2
 * refuses (look-around, back-references) is refused here too rather than silently accepted.
 */

export class GoRegExpError extends Error {
  override name = "GoRegExpError";
}

const cache = new Map<string, RegExp>();
const cacheLimit = 1000;

/** Compiles (and caches) a Go regular expression; throws GoRegExpError with Go's wording where it can. */
export function goRegExp(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    const { source, flags } = translate(pattern);
    try {
      compiled = new RegExp(source, flags);
    } catch (error) {
      throw new GoRegExpError(
        `error parsing regexp: ${error instanceof Error ? error.message : String(error)}: \`${pattern}\``,
      );
    }
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

const posixClasses: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const categories = new Set(["L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No"]);
["P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp"].forEach(
  (c) => categories.add(c),
);
["C", "Cc", "Cf", "Cs", "Co"].forEach((c) => categories.add(c));

// Characters JavaScript's `u` mode lets a backslash escape; RE2 allows escaping any punctuation.
const jsEscapable = new Set("^$\\.*+?()[]{}|/".split(""));

function translate(pattern: string): { source: string; flags: string } {
  let flags = "u";
  let i = 0;
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    for (const flag of leading[1] ?? "") {
      if (flag === "U") throw new GoRegExpError(unsupported("(?U)", pattern));
      if (!flags.includes(flag)) flags += flag;
    }
    i = leading[0].length;
  }
  const dotAll = flags.includes("s");
  const multiline = flags.includes("m");
  let out = "";
  let inClass = false;
  // Groups opened so far, and the depths at which a mid-pattern `(?i)` opened a `(?i:` to close there.
  let depth = 0;
  const flagGroups: number[] = [];
  while (i < pattern.length) {
    const char = pattern[i] ?? "";
    if (char === "\\") {
      const next = pattern[i + 1];
      if (next === undefined)
        throw new GoRegExpError(`error parsing regexp: trailing backslash at end of expression: \`\``);
      const [text, length] = escape(pattern, i, inClass);
      out += text;
      i += length;
      continue;
    }
    if (inClass) {
      if (char === "[" && pattern[i + 1] === ":") {
        const end = pattern.indexOf(":]", i + 2);
        const name = end > 0 ? pattern.slice(i + 2, end) : "";
        const negated = name.startsWith("^");
        const cls = posixClasses[negated ? name.slice(1) : name];
        if (cls !== undefined && !negated) {
          out += cls;
          i = end + 2;
          continue;
        }
        if (cls !== undefined) throw new GoRegExpError(unsupported(`[:${name}:]`, pattern));
      }
      if (char === "]") inClass = false;
      out += char === "[" ? "\\[" : char;
      i++;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      i++;
      if (pattern[i] === "^") {
        out += "^";
        i++;
      }
      // A `]` first in a class is a literal in RE2.
      if (pattern[i] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (char === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        depth++;
        i += 4;
        continue;
      }
      if (rest.startsWith("=") || rest.startsWith("!") || rest.startsWith("<=") || rest.startsWith("<!")) {
        throw new GoRegExpError(unsupported(`(?${rest.slice(0, rest.startsWith("<") ? 2 : 1)}`, pattern));
      }
      const group = /^([imsU-]*)(:|\))/.exec(rest);
      if (group?.[1]?.includes("U"))
        throw new GoRegExpError(unsupported(`(?${group[1]}${group[2]}`, pattern));
      if (group?.[2] === ")") {
        // RE2's `(?i)` applies to the rest of the enclosing group; JavaScript has only `(?i:...)`.
        out += `(?${group[1]}:`;
        flagGroups.push(depth);
        i += 2 + group[0].length;
        continue;
      }
      out += "(?";
      depth++;
      i += 2;
      continue;
    }
    if (char === "(") {
      depth++;
      out += char;
      i++;
      continue;
    }
    if (char === ")") {
      while (flagGroups.at(-1) === depth) {
        out += ")";
        flagGroups.pop();
      }
      depth--;
      out += char;
      i++;
      continue;
    }
    if (char === ".") {
      out += dotAll ? "[\\s\\S]" : "[^\\n]";
      i++;
      continue;
    }
    if (char === "{" && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      out += "\\{";
      i++;
      continue;
    }
    if (char === "}") {
      out += /\{\d+(,\d*)?$/.test(pattern.slice(0, i)) ? "}" : "\\}";
      i++;
      continue;
    }
    if (char === "$" && multiline) {
      // RE2's (?m)$ matches before every \n only; JavaScript's also before \r and U+2028/2029.
      out += "(?=\\n|(?![\\s\\S]))";
      i++;
      continue;
    }
    out += char;
    i++;
  }
  out += ")".repeat(flagGroups.length);
  return { source: out, flags };
}

function escape(pattern: string, at: number, inClass: boolean): [string, number] {
  const next = pattern[at + 1] ?? "";
  switch (next) {
    case "A":
      return [inClass ? "A" : "(?<![\\s\\S])", 2];
    case "z":
      return ["(?![\\s\\S])", 2];
    case "Q": {
      const end = pattern.indexOf("\\E", at + 2);
      const literal = pattern.slice(at + 2, end < 0 ? undefined : end);
      return [literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), end < 0 ? pattern.length - at : end + 2 - at];
    }
    case "s":
      return [inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]", 2];
    case "S":
      if (inClass) throw new GoRegExpError(unsupported("\\S in a class", pattern));
      return ["[^\\t\\n\\f\\r ]", 2];
    case "C":
    case "Z":
      throw new GoRegExpError(`error parsing regexp: invalid escape sequence: \`\\${next}\``);
    case "x": {
      const braced = /^\\x\{([0-9A-Fa-f]+)\}/.exec(pattern.slice(at));
      if (braced) return [`\\u{${braced[1]}}`, braced[0].length];
      return ["\\x", 2];
    }
    case "p":
    case "P": {
      const braced = /^\\[pP]\{(\^?)(\w+)\}/.exec(pattern.slice(at));
      const single = /^\\[pP](\w)/.exec(pattern.slice(at));
      const negate = braced?.[1] === "^";
      const name = braced?.[2] ?? single?.[1];
      if (!name)
        throw new GoRegExpError(`error parsing regexp: invalid character class range: \`\\${next}\``);
      const letter = (next === "P") !== negate ? "P" : "p";
      const property = categories.has(name) || name === "Any" ? name : `Script=${name}`;
      const text = name === "Any" ? (letter === "p" ? "[\\s\\S]" : "[^\\s\\S]") : `\\${letter}{${property}}`;
      return [text, (braced ?? single)?.[0].length ?? 2];
    }
    default:
      if (/[0-9]/.test(next) && next !== "0") {
        throw new GoRegExpError(`error parsing regexp: invalid escape sequence: \`\\${next}\``);
      }
      if (/[!-/:-@[-`{-~]/.test(next) && !jsEscapable.has(next) && !(inClass && next === "-")) {
        return [next, 2];
      }
      return [`\\${next}`, 2];
  }
}

function unsupported(syntax: string, pattern: string): string {
  return `error parsing regexp: invalid or unsupported Perl syntax: \`${syntax}\` in \`${pattern}\``;
}
