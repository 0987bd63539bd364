// Every check of the packages as users get them, in one file so that they overlap: vitest runs one test
// file at a time on a two-core machine, and most of this is waiting on npm, pnpm and child processes.
import { describe } from "vitest";
import { describeInstallAlone } from "./lib/describe-install-alone.js";
import { describeNativeArm64 } from "./lib/describe-native-arm64.js";
import { describeOtherNodeSuites } from "./lib/describe-other-node-suites.js";
import { describeTarballContents } from "./lib/describe-tarball-contents.js";
import { nodeBinary, OTHER_NODES } from "./lib/node-versions.js";

describe.concurrent("the packages as users install them", () => {
  // started first: the longest (the package suites on Node 22 and 24)
  describeOtherNodeSuites();
  describeNativeArm64();
  // npm projects also run the programs on Node 22 and 24 (what a Node release changes is the same whichever
  // package manager laid out the files); pnpm's strict layout on the Node running the tests
  describeInstallAlone("npm", [
    [process.versions.node, process.execPath],
    ...OTHER_NODES.map((v): [string, string] => [v, nodeBinary(v)]),
  ]);
  describeInstallAlone("pnpm", [[process.versions.node, process.execPath]]);
  describeTarballContents();
});
