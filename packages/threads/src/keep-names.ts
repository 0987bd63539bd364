// esbuild's keepNames (tsx, tsup, vitest, `esbuild --keep-names`) wraps functions and classes in a helper that
// sets their `name`: `__name(fn, "fn")`. With `--minify` the helper is renamed like any other variable (`t(fn,
// "fn")`), so a self-contained function refers to an outer `t`. This module recognises such a renamed helper.
// A class gets its name from a static block: `class Box { static { t(this, "Box"); } }`.

import type { FreeReference } from "./free-variables.js";

type AnyNode = { type: string; start: number; [key: string]: any };

const NAME_LIKE = /^#?[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_]*$/u;

/**
 * Calls of a plain identifier in `root`, keyed by the identifier's offset; `ofClass` gets the offsets of those
 * that are a statement of a class's static block (where `this` is the class).
 */
function callsByCallee(root: AnyNode, ofClass: Set<number>): Map<number, AnyNode> {
  const calls = new Map<number, AnyNode>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (node === null || typeof node !== "object" || typeof (node as AnyNode).type !== "string") continue;
    const n = node as AnyNode;
    if (n.type === "CallExpression" && n.callee.type === "Identifier") calls.set(n.callee.start, n);
    else if (n.type === "StaticBlock") {
      for (const statement of n.body as AnyNode[]) {
        const call = statement.type === "ExpressionStatement" ? statement.expression : undefined;
        if (call?.type === "CallExpression" && call.callee.type === "Identifier")
          ofClass.add(call.callee.start);
      }
    }
    for (const key in n) if (key !== "type") stack.push(n[key]);
  }
  return calls;
}

/**
 * Whether a call is shaped like keepNames' `__name(value, "name")`: a function or class written right there (or
 * one the function declares itself, or `this` in a class's static block), and its name as a string literal.
 */
function namesAValue(call: AnyNode, free: ReadonlySet<number>, inStaticBlock: boolean): boolean {
  const [value, name, extra] = call.arguments as (AnyNode | undefined)[];
  if (value === undefined || name === undefined || extra !== undefined) return false;
  if (name.type !== "Literal" || typeof name.value !== "string" || !NAME_LIKE.test(name.value)) return false;
  switch (value.type) {
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "ClassExpression":
      return true;
    case "Identifier":
      return !free.has(value.start);
    case "ThisExpression":
      return inStaticBlock;
    default:
      return false;
  }
}

/**
 * The outer names that `fn` only ever calls as `name(functionOrClass, "itsName")`: esbuild's `__name` helper
 * renamed by minification. The thread provides the helper under those names. A name used any other way stays
 * an outer variable (and is refused as one).
 *
 * @param fn - the function's ESTree node
 * @param refs - its free references (from findFreeReferences)
 * @param candidate - which free names may be the helper (not globals, not provided helpers)
 */
export function renamedNameHelpers(
  fn: AnyNode,
  refs: readonly FreeReference[],
  candidate: (name: string) => boolean,
): string[] {
  const names = new Set<string>();
  for (const ref of refs) if (candidate(ref.name)) names.add(ref.name);
  if (names.size === 0) return [];
  const ofClass = new Set<number>();
  const calls = callsByCallee(fn, ofClass);
  const free = new Set(refs.map((ref) => ref.start));
  const refused = new Set<string>();
  for (const ref of refs) {
    if (!names.has(ref.name)) continue;
    const call = calls.get(ref.start);
    if (call === undefined || !namesAValue(call, free, ofClass.has(ref.start))) refused.add(ref.name);
  }
  return [...names].filter((name) => !refused.has(name));
}
