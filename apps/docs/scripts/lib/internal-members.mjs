// Finds members on a generated API page (typedoc-plugin-markdown output) that are not user API: names with a
// leading underscore, symbol-keyed members other than the language's well-known symbols (weft's own keys such
// as [kState] are plumbing), @internal tags that leaked, and the extension API that belongs on its subpath.

/** Symbol-keyed members a user does call or rely on (Symbol.dispose, util.inspect.custom, ...). */
const WELL_KNOWN_SYMBOLS = new Set([
  "dispose",
  "asyncDispose",
  "iterator",
  "asyncIterator",
  "toStringTag",
  "inspectCustom",
  "hasInstance",
]);

/** Names a package exports from its `src/<file>.ts` (`export { a, type B } from`, `export * as c`, declarations). */
export function exportedNames(source) {
  const names = new Set();
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const part of m[1].split(","))
      names.add(
        part
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)
          .pop()
          .trim(),
      );
  for (const m of source.matchAll(/export\s+\*\s+as\s+(\w+)/g)) names.add(m[1]);
  for (const m of source.matchAll(
    /export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+(\w+)/g,
  ))
    names.add(m[1]);
  names.delete("");
  return names;
}

/**
 * The internal members named on a page: one `{ line, name, why }` per heading or leaked tag.
 * @param {string} markdown a generated API page
 * @param {Set<string>} extensionNames extension API (exported on a subpath only) that must not appear
 * @returns {{ line: number, name: string, why: string }[]}
 */
export function internalMembers(markdown, extensionNames = new Set()) {
  const found = [];
  const lines = markdown.split("\n");
  lines.forEach((text, i) => {
    const line = i + 1;
    if (/@internal\b/.test(text))
      found.push({ line, name: text.trim(), why: "an @internal tag on the page" });
    const heading = /^#{2,6}\s+(.*?)\s*$/.exec(text);
    if (heading === null) return;
    // headings are escaped markdown: "\_abort", "\[kState\]()", "ALL\_COMPLETED", "timeout?"
    const name = heading[1].replace(/\\(.)/g, "$1").replace(/(\(\))?\??$/, "");
    if (/^_/.test(name)) found.push({ line, name, why: "an underscore-prefixed member" });
    const symbol = /^\[(\w+)\]$/.exec(name);
    if (symbol !== null && !WELL_KNOWN_SYMBOLS.has(symbol[1]))
      found.push({ line, name, why: "a member keyed by one of weft's own symbols" });
    if (extensionNames.has(name)) found.push({ line, name, why: "extension API (belongs on its subpath)" });
  });
  return found;
}
