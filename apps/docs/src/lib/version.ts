import versionsFile from "../../versions.json";

/** Slugs of the archived documentation versions (versions.json). */
export const archivedSlugs: readonly string[] = versionsFile.archived.map((v) => v.slug);

/** The archived version a page URL belongs to, or undefined for the current docs. */
export function versionOfPath(pathname: string): string | undefined {
  const first = pathname.split("/").filter(Boolean)[0];
  return first !== undefined && archivedSlugs.includes(first) ? first : undefined;
}
