// Loads the built site in Debian's Chromium (playwright-core, no downloaded browser) from a local static
// server: every page must load without a console error or a failed request, the search must find
// "Semaphore", the version switcher must move between the current docs and an archived version, and a
// screenshot of a chapter page is kept in test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import versionsFile from "../versions.json";
import { chromiumArgs, chromiumPath } from "./chromium";
import { type StaticServer, serveStatic } from "./static-server";

const appRoot = join(import.meta.dirname, "..");
const dist = join(appRoot, "dist");
const artifacts = join(appRoot, "test-artifacts");

function sitePaths(dir = dist): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sitePaths(full));
    else if (entry.name.endsWith(".html")) {
      const rel = relative(dist, full).split(sep).join("/");
      out.push(`/${rel.replace(/(^|\/)index\.html$/, "$1")}`);
    }
  }
  return out.sort();
}

/** Console errors, uncaught page errors and failed or 4xx/5xx same-origin requests seen by a page. */
function watch(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // ERR_ABORTED: a lazy script still loading when the test moves on to the next page; a missing file is
    // caught by its 404 response instead.
    const why = r.failure()?.errorText ?? "";
    if (why !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on("response", (r) => {
    if (r.url().startsWith(origin) && r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

let server: StaticServer;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html")))
    throw new Error("apps/docs/dist is missing: run pnpm docs:build first");
  server = await serveStatic(dist);
  profile = mkdtempSync(join(tmpdir(), "weft-docs-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Where a redirect stub of the built site sends the browser, or undefined for a real page. */
function redirectTarget(path: string): string | undefined {
  const file = join(dist, path.endsWith("/") ? `${path}index.html` : path);
  const m = /<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"/i.exec(readFileSync(file, "utf8"));
  return m?.[1];
}

describe("the built docs site in Chromium", () => {
  it("loads every page without a console error or a failed request", async () => {
    const paths = sitePaths().filter((p) => p !== "/404.html");
    expect(paths.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let next = 0;
    const lane = async () => {
      const page = await context.newPage();
      const problems = watch(page, server.url);
      while (next < paths.length) {
        const path = paths[next++]!;
        problems.length = 0;
        const res = await page.goto(server.url + path, { waitUntil: "load" });
        // goto() may resolve without the response object (Playwright returns null when it did not observe the
        // main response, seen here on large pages under load): then read the status the document itself got.
        const status =
          res?.status() ??
          (await page.evaluate(
            () =>
              (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)
                ?.responseStatus,
          ));
        if (status !== 200) problems.push(`status ${status}`);
        // A redirect stub (astro.config's `redirects`) navigates again as soon as it loads: wait until it
        // lands, so that its navigation does not interrupt this lane's next goto(), and check where it lands.
        const target = redirectTarget(path);
        if (target !== undefined)
          await page.waitForURL((url) => url.pathname === target, { timeout: 30_000 });
        for (const p of problems) failures.push(`${path}: ${p}`);
      }
      await page.close();
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(failures).toEqual([]);
  });

  it("finds Semaphore with the site search", async () => {
    const page = await context.newPage();
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/`);
    await page.locator("site-search button[data-open-modal]").first().click();
    const input = page.locator("site-search .pagefind-ui__search-input").first();
    await input.fill("Semaphore");
    const results = page.locator("site-search .pagefind-ui__result-link");
    await results.first().waitFor({ timeout: 30_000 });
    const titles = await results.allTextContents();
    expect(titles.join(" | ")).toMatch(/12\.4 Locking critical sections/);
    await results.filter({ hasText: "12.4" }).first().click();
    await page.waitForURL(/\/recipes\/12-4-locks\//);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("switches between the current docs and the archived versions", async () => {
    const archived = versionsFile.archived;
    expect(archived.length).toBeGreaterThan(0);
    const page = await context.newPage();
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/recipes/12-4-locks/`);
    const select = page.locator("starlight-version-select select").first();
    for (const v of archived) {
      await select.selectOption({ label: v.label });
      await page.waitForURL((url) => url.pathname === `/${v.slug}/recipes/12-4-locks/`);
      await expect(page.locator("h1").first().textContent()).resolves.toContain("12.4");
      // the archived page says which version it documents and links back to the latest
      await page.getByText(`This content is for ${v.label}.`).first().waitFor();
      await page.locator("starlight-version-select select").first().selectOption({ index: 0 });
      await page.waitForURL((url) => url.pathname === "/recipes/12-4-locks/");
      expect(await page.getByText("This content is for").count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("saves a screenshot of a chapter page in test-artifacts/", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/recipes/12-4-locks/`);
    await page.locator(".recipe-compare").waitFor();
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, "recipe-12.4.png");
    rmSync(file, { force: true });
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
