// A process-pool child entry (given as workerEntry) that marks when the child starts running code and when
// weft's own entry has loaded.
import { mark } from "./mark.mjs";

mark("entry-start");
await import("@weft/process-pool/child");
mark("entry-loaded");
