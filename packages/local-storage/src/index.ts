export { ContextLocal, type ContextLocalOptions } from "./context-local.js";
export { ContextToken } from "./context-token.js";
export {
  ContextLookupError,
  ContextSerializationError,
  ContextTokenError,
  InvalidSnapshotError,
} from "./errors.js";
export { type ContextSnapshot, isolate, runWith, snapshot } from "./snapshot.js";
export { ThreadLocal, type ThreadLocalOptions } from "./thread-local.js";
