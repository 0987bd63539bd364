// Where the browser tests find Chromium: Debian's package, installed by test/global-setup.ts when missing.
export const chromiumPath = process.env.WEFT_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
