// A pool worker entry (given as workerEntry) that marks when the worker starts running code and when weft's
// own entry has loaded.
import { mark } from "./mark.mjs";

mark("entry-start");
await import("@weft/pool/worker");
mark("entry-loaded");
