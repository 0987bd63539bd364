// @ts-check
import { readFileSync } from "node:fs";
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";
import starlightLinksValidator from "starlight-links-validator";
import starlightTypeDoc, { typeDocSidebarGroup } from "starlight-typedoc";
import starlightVersions from "starlight-versions";
import { packageDirs } from "./scripts/lib/packages.mjs";
import { siteUrl } from "./scripts/lib/site-url.mjs";

const { archived } = JSON.parse(readFileSync(new URL("./versions.json", import.meta.url), "utf8"));

export default defineConfig({
  // WEFT_DOCS_SITE, or the root package.json's "homepage" (see README.md, "The site's URL")
  site: siteUrl(),
  trailingSlash: "always",
  // API pages of older versions that no longer exist in the latest API: the version switcher of an archived
  // page links to the same page in "Latest", so each removed page redirects to where its content went.
  redirects: {
    // `wire` moved from @weft/pool to @weft/pool/extension (see the Extension API page).
    "/api/poolnamespacewire/": "/extension/",
  },
  integrations: [
    starlight({
      title: "weft",
      description: "Python's threading and concurrent.futures model for Node.js, in TypeScript",
      customCss: ["./src/styles/custom.css"],
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
      sidebar: [
        {
          label: "Start here",
          items: [
            "index",
            "getting-started",
            "choosing",
            "migrating",
            "distributed",
            "extension",
            "benchmarks",
          ],
        },
        { label: "Chapter 12 recipes", autogenerate: { directory: "recipes" } },
        { label: "Bundling", autogenerate: { directory: "bundling" } },
        typeDocSidebarGroup,
      ],
      plugins: [
        // typedoc first: the versions plugin snapshots the docs (API pages included) when a version is added.
        starlightTypeDoc({
          entryPoints: packageDirs(),
          tsconfig: "./tsconfig.typedoc.json",
          output: "api",
          errorOnEmptyDocumentation: false,
          sidebar: { label: "API reference", collapsed: true },
          typeDoc: {
            entryPointStrategy: "packages",
            packageOptions: {
              entryPoints: ["src/index.ts"],
              skipErrorChecking: true,
              disableSources: true,
              disableGit: true,
              excludePrivate: true,
              excludeInternal: true,
            },
            // with entryPointStrategy "packages" these options only take effect per package, so they are in
            // packageOptions above: @internal members and private ones stay off the API pages
            skipErrorChecking: true,
            disableSources: true,
            disableGit: true,
            // typedoc-plugin-markdown: an overview page per package (starlight-typedoc drops pages named README.md).
            entryFileName: "overview",
            // a page per package (functions, types, constants as sections) and a page of its own for each
            // class (ThreadPoolExecutor, Future, Lock, ...): a class is what a reader looks up
            outputFileStrategy: "members",
            membersWithOwnFile: ["Class"],
            useHTMLAnchors: true,
            // stable URLs: /api/<package>/ whether or not a package exports namespaces
            flattenOutputFiles: true,
            excludeScopesInPaths: true,
            // escape "<name>" in comments: the pages are also parsed as MDX when a version is archived
            sanitizeComments: true,
          },
        }),
        ...(archived.length > 0
          ? [
              starlightVersions({
                current: { label: "Latest" },
                // versions.json also records the tag and commit each was generated from (archive-from-ref)
                versions: archived.map(({ slug, label }) => ({ slug, label })),
              }),
            ]
          : []),
        starlightLinksValidator({ errorOnRelativeLinks: false }),
      ],
    }),
  ],
});
