import { mark } from "./mark.mjs";

mark("entry-start");
process.on("message", (x) => process.send(x + 1));
