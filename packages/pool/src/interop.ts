// The one place that reaches into sibling packages: task targets from @weft/threads, the marshal walk from
// @weft/sync, context propagation from @weft/local-storage. Everything else in this package imports from here.
export { type ContextSnapshot, runWith, snapshot } from "@weft/local-storage";
export { marshal } from "@weft/sync";
export { describeTarget, loadTarget, type ModuleTarget, type Target, type TargetSpec } from "@weft/threads";
