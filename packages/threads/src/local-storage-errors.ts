// @weft/local-storage is a leaf package: it cannot reach @weft/sync's error registry. @weft/threads, the lowest
// package that depends on both, registers local-storage's error classes, so that they too are rebuilt as their
// class after crossing a thread or process boundary (e.g. a ContextLookupError thrown inside a task). It reaches
// them through the slot local-storage publishes (local-storage-slots.ts), so that a program that never loads
// local-storage does not load it for this: such an error then arrives as an Error with its name, message and
// `code` (ERR_WEFT_CONTEXT_LOOKUP, ...).

import { registerErrorClass } from "@weft/sync/extension";
import { localStorageErrorClasses } from "./local-storage-slots.js";

let registered = false;

/**
 * Registers local-storage's error classes once it is loaded (called before each error is rebuilt: a function
 * call, not a module side effect, so bundlers that honour `sideEffects: false` keep it).
 */
export function registerLocalStorageErrors(): void {
  if (registered) return;
  const classes = localStorageErrorClasses();
  if (classes === undefined) return;
  registered = true;
  registerErrorClass(classes.ContextSerializationError, "ERR_WEFT_CONTEXT_SERIALIZATION");
  registerErrorClass(classes.ContextTokenError, "ERR_WEFT_CONTEXT_TOKEN");
  registerErrorClass(classes.ContextLookupError, "ERR_WEFT_CONTEXT_LOOKUP");
  registerErrorClass(classes.InvalidSnapshotError, "ERR_WEFT_INVALID_SNAPSHOT");
}
