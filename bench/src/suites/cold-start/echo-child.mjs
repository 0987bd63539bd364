import { inc } from "./tasks.mjs";

process.on("message", (x) => process.send(inc(x)));
