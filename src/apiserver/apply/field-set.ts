import type { FieldsV1 } from "../types.js";
import type { PathElement } from "./path-element.js";
import { canonicalElement, sortElements } from "./path-element.js";

/** Where the storage layer has always imported it from. */

/**
 * A set of field paths as a trie, like structured-merge-diff's `fieldpath.Set`: at each node,
 * `members` are the elements that end a path in the set and `children` the elements that lead to
 * longer ones. An element can be both (a list element that is owned and has owned fields). Sets are
 * immutable; operations return new sets and share unchanged subtrees. No child is ever empty.
 */
export class FieldSet {
  static readonly empty = new FieldSet(new Set(), new Map());

  private constructor(
    readonly members: ReadonlySet<PathElement>,
    readonly children: ReadonlyMap<PathElement, FieldSet>,
  ) {}

  static of(members: ReadonlySet<PathElement>, children: ReadonlyMap<PathElement, FieldSet>): FieldSet {
    return members.size === 0 && children.size === 0 ? FieldSet.empty : new FieldSet(members, children);
  }

  static fromPaths(paths: Iterable<readonly PathElement[]>): FieldSet {
    const builder = new FieldSetBuilder();
    for (const path of paths) builder.insert(path);
    return builder.build();
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  has(path: readonly PathElement[]): boolean {
    const [first, ...rest] = path;
    if (first === undefined) return false;
    if (rest.length === 0) return this.members.has(first);
    return this.children.get(first)?.has(rest) ?? false;
  }

  /** The paths under `element`, without it. */
  withPrefix(element: PathElement): FieldSet {
    return this.children.get(element) ?? FieldSet.empty;
  }

  union(other: FieldSet): FieldSet {
    if (other === this || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const members = new Set(this.members);
    for (const member of other.members) members.add(member);
    const children = new Map(this.children);
    for (const [element, child] of other.children) {
      const mine = children.get(element);
      children.set(element, mine ? mine.union(child) : child);
    }
    return FieldSet.of(members, children);
  }

  intersection(other: FieldSet): FieldSet {
    if (other === this) return this;
    const members = new Set<PathElement>();
    for (const member of this.members) if (other.members.has(member)) members.add(member);
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      if (!theirs) continue;
      const both = child.intersection(theirs);
      if (!both.isEmpty()) children.set(element, both);
    }
    return FieldSet.of(members, children);
  }

  /** Paths in this set and not in `other`, compared path by path: removing `a` leaves `a.b`. */
  difference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (other === this) return FieldSet.empty;
    const members = new Set<PathElement>();
    for (const member of this.members) if (!other.members.has(member)) members.add(member);
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      const rest = theirs ? child.difference(theirs) : child;
      if (!rest.isEmpty()) children.set(element, rest);
    }
    return FieldSet.of(members, children);
  }

  /** Like `difference`, but a path in `other` also removes every path under it. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const members = new Set<PathElement>();
    for (const member of this.members) if (!other.members.has(member)) members.add(member);
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      if (other.members.has(element)) continue;
      const theirs = other.children.get(element);
      const rest = theirs ? child.recursiveDifference(theirs) : child;
      if (!rest.isEmpty()) children.set(element, rest);
    }
    return FieldSet.of(members, children);
  }

  isSubsetOf(other: FieldSet): boolean {
    if (other === this) return true;
    for (const member of this.members) if (!other.members.has(member)) return false;
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      if (!theirs || !child.isSubsetOf(theirs)) return false;
    }
    return true;
  }

  equals(other: FieldSet): boolean {
    return (
      other === this ||
      (this.members.size === other.members.size &&
        this.children.size === other.children.size &&
        this.isSubsetOf(other) &&
        other.isSubsetOf(this))
    );
  }

  /** Only the paths no other path in the set extends. */
  leaves(): FieldSet {
    const members = new Set<PathElement>();
    for (const member of this.members) if (!this.children.has(member)) members.add(member);
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) children.set(element, child.leaves());
    return FieldSet.of(members, children);
  }

  /** Every path, in structured-merge-diff's `Iterate` order: a node's members, then its children. */
  *paths(prefix: readonly PathElement[] = []): Generator<PathElement[]> {
    for (const member of sortElements(this.members)) yield [...prefix, member];
    for (const element of sortElements(this.children.keys()))
      yield* (this.children.get(element) as FieldSet).paths([...prefix, element]);
  }

  /** The set as fieldsV1, written as kube writes it: elements in order, `.` first for a member with children. */
  toFieldsV1(): FieldsV1 {
    return this.#emit(false);
  }

  #emit(includeSelf: boolean): FieldsV1 {
    const out: FieldsV1 = {};
    if (includeSelf && !this.isEmpty()) out["."] = {};
    const elements = new Set([...this.members, ...this.children.keys()]);
    for (const element of sortElements(elements)) {
      const child = this.children.get(element);
      out[element] = child ? child.#emit(this.members.has(element)) : {};
    }
    return out;
  }

  /**
   * Reads fieldsV1 as kube does: `{}` or a `.` key makes the element a member; elements of an
   * unknown kind are dropped. Throws on malformed elements.
   */
  static fromFieldsV1(fields: FieldsV1): FieldSet {
    const members = new Set<PathElement>();
    const children = new Map<PathElement, FieldSet>();
    for (const [text, value] of Object.entries(fields)) {
      if (text === ".") continue;
      const element = canonicalElement(text);
      if (element === undefined) continue;
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error(`the value of ${text} is not an object`);
      const keys = Object.keys(value);
      if (keys.length === 0 || keys.includes(".")) members.add(element);
      const child = FieldSet.fromFieldsV1(value);
      if (!child.isEmpty()) {
        const existing = children.get(element);
        children.set(element, existing ? existing.union(child) : child);
      }
    }
    return FieldSet.of(members, children);
  }
}

/** Collects paths into a set; used by the walkers that compute sets from values. */
export class FieldSetBuilder {
  readonly #members = new Set<PathElement>();
  readonly #children = new Map<PathElement, FieldSetBuilder>();

  /** Inserts a path; the empty path (the whole object) is never tracked. */
  insert(path: readonly PathElement[]): void {
    this.#insert(path, 0);
  }

  /** Makes `element` a member of this node. */
  add(element: PathElement): void {
    this.#members.add(element);
  }

  /** The node for the paths under `element`, created when needed; left empty, it is dropped. */
  child(element: PathElement): FieldSetBuilder {
    let child = this.#children.get(element);
    if (!child) {
      child = new FieldSetBuilder();
      this.#children.set(element, child);
    }
    return child;
  }

  #insert(path: readonly PathElement[], at: number): void {
    const element = path[at];
    if (element === undefined) return;
    if (at === path.length - 1) {
      this.#members.add(element);
      return;
    }
    this.child(element).#insert(path, at + 1);
  }

  build(): FieldSet {
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.#children) {
      const built = child.build();
      if (!built.isEmpty()) children.set(element, built);
    }
    return FieldSet.of(this.#members, children);
  }
}
