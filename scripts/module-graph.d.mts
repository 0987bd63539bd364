/** One file of a module graph and its size in bytes. */
export interface GraphFile {
  readonly file: string;
  readonly bytes: number;
}
/** The static ESM module graph of a built entry (see module-graph.mjs). */
export function moduleGraph(entry: string): { files: GraphFile[]; unresolved: string[] };
/** The files of a built entry's static graph and the source modules (`// src/x.ts` markers) they hold. */
export function sourceGraph(entry: string): { sources: Set<string>; files: string[] };
