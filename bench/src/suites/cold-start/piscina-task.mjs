import { inc } from "./tasks.mjs";

export default inc;
