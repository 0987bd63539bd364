// A process-pool child entry (given as workerEntry) that marks when the child starts running code and when
// weft's own entry has loaded.
import { mark } from "./mark.mjs";

mark("entry-start");
// By path, as the pool itself starts it (a bare specifier would add a package resolution weft does not pay).
await import(new URL("../../../../../packages/process-pool/dist/process-child.js", import.meta.url).href);
mark("entry-loaded");
