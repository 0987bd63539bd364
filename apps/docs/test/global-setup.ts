// Makes sure Debian's Chromium is there for the browser tests, installing it (as root, as CI runs) when it
// is missing. Never downloads a browser through Playwright.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromiumPath } from "./chromium";

export default function setup(): void {
  if (existsSync(chromiumPath)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${chromiumPath} is missing and the tests are not running as root, so they cannot install it: ` +
        "run `sudo apt-get update && sudo apt-get install -y chromium`, or set WEFT_CHROMIUM to a Chromium binary",
    );
  }
  console.log(`[docs] ${chromiumPath} is missing: installing Debian's chromium package`);
  execSync("apt-get update && apt-get install -y chromium", {
    stdio: "inherit",
    timeout: 15 * 60_000, // a stuck download fails the run here instead of holding every test back
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (!existsSync(chromiumPath))
    throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`);
}
