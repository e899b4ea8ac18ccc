/// <reference types="node" />
// `@pet-ops/kpi/node`: what of kpi needs Node, kept out of the pure main entry (an exception
// biome.json and scripts/layers.unit.test.ts name). The HTML report inlines its chart library so the page
// opens offline; this reads it from the installed `uplot` package rather than a vendored copy, so an
// upgrade of the dependency is an upgrade of the page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartLibrary } from '../report-html.js';

let loaded: ChartLibrary | undefined;

/**
 * uPlot's browser build, stylesheet and licence, read once from the installed `uplot` package (its
 * package.json has no `exports` map, so the dist files resolve from the package's folder), for
 * `renderKpiReportHtml`'s `chartLibrary`.
 *
 * @example
 * ```ts
 * import { renderKpiReportHtml } from '@pet-ops/kpi';
 * import { uplotChartLibrary } from '@pet-ops/kpi/node';
 *
 * const html = renderKpiReportHtml({ title, definitions, results, chartLibrary: uplotChartLibrary() });
 * ```
 */
export function uplotChartLibrary(): ChartLibrary {
  if (loaded !== undefined) return loaded;
  const root = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  const read = (file: string): string => readFileSync(join(root, file), 'utf8').trim();
  const pkg = JSON.parse(read('package.json')) as { name: string; version: string };
  loaded = {
    name: pkg.name,
    version: pkg.version,
    license: read('LICENSE'),
    script: read('dist/uPlot.iife.min.js'),
    style: read('dist/uPlot.min.css'),
  };
  return loaded;
}
