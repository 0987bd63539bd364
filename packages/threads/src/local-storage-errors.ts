// @weft/local-storage is a leaf package: it cannot reach @weft/sync's error registry. @weft/threads, the lowest
// package that depends on both, registers local-storage's error classes, so that they too are rebuilt as their
// class after crossing a thread or process boundary (e.g. a ContextLookupError thrown inside a task).

import {
  ContextLookupError,
  ContextSerializationError,
  ContextTokenError,
  InvalidSnapshotError,
} from "@weft/local-storage";
import { registerErrorClass } from "@weft/sync/extension";

let registered = false;

/**
 * Registers local-storage's error classes once (called before the first error is rebuilt: a function call, not
 * a module side effect, so bundlers that honour `sideEffects: false` keep it).
 */
export function registerLocalStorageErrors(): void {
  if (registered) return;
  registered = true;
  registerErrorClass(ContextSerializationError, "ERR_WEFT_CONTEXT_SERIALIZATION");
  registerErrorClass(ContextTokenError, "ERR_WEFT_CONTEXT_TOKEN");
  registerErrorClass(ContextLookupError, "ERR_WEFT_CONTEXT_LOOKUP");
  registerErrorClass(InvalidSnapshotError, "ERR_WEFT_INVALID_SNAPSHOT");
}
