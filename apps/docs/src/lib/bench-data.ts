// The benchmark charts (SVG) and summaries written by scripts/bench-charts.mjs from bench/results/*.json,
// for the current docs, or frozen under src/archive/<version>/bench/ for an archived version.

export interface SuiteSummary {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  ours: string;
  date: string;
  node: string;
  advantage: Record<string, number>;
  targets: Record<string, { target: number; met: boolean }>;
  results: Record<string, { median: number; min: number; max: number }>;
}
export interface BenchChart extends SuiteSummary {
  svg: string;
}

const svgs = import.meta.glob<string>(["../generated/bench/*.svg", "../archive/*/bench/*.svg"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const indexes = import.meta.glob<{ suites: SuiteSummary[] }>(
  ["../generated/bench/index.json", "../archive/*/bench/index.json"],
  { import: "default", eager: true },
);

/** The charts of the current docs (version undefined) or of an archived version; [] when none. */
export function benchCharts(version: string | undefined): BenchChart[] {
  const dir = version === undefined ? "../generated/bench" : `../archive/${version}/bench`;
  const index = indexes[`${dir}/index.json`];
  if (!index) return [];
  return index.suites.map((s) => {
    const svg = svgs[`${dir}/${s.id}.svg`];
    if (svg === undefined) throw new Error(`${dir}/${s.id}.svg is missing; rerun scripts/bench-charts.mjs`);
    return { ...s, svg };
  });
}
