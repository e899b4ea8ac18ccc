// The HTML report in a real browser (issue 26): the agency example writes it on the embedded SQLite
// default, headless Chromium (Debian's package, which scripts/browser.sh installs when it is missing)
// opens it from the file with no network, the inlined uPlot has drawn every chart on its canvas (lines
// and points in the classification colours), a click on a chart point, or elsewhere on a chart, opens
// that result's explanation with its contributing events, and a screenshot of the page is kept for CI
// (`.ci-artifacts/kpi-report.png`).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, '.ci-artifacts');
const dir = mkdtempSync(join(tmpdir(), 'pet-report-browser-'));
const report = join(dir, 'report.html');

interface Explained {
  readonly resultId: string;
  readonly events: readonly unknown[];
}

/** A canvas as the callbacks evaluated in the browser see it (this file is compiled without the DOM types). */
interface Canvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray };
  };
}

/** The report's classification colours (its CSS variables), as RGB. */
const GOOD = '26,127,55';
const BREACH = '198,40,40';

/** The report's anchor of a result (as `renderKpiReportHtml` makes it). */
const anchorOf = (resultId: string): string => `r-${resultId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

let browser: Browser;
let page: Page;
let explained: { win: Explained; sla: Explained };

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/browser.sh (or set CHROMIUM_PATH)`);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@pet-ops/source',
        MAIN,
        '--size',
        '0.2',
        '--json',
        '--url',
        `sqlite:${join(dir, 'agency.db')}`,
        '--html',
        report,
      ],
      { cwd: ROOT, env: { ...process.env, PET_URL: undefined }, maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) => (error === null ? resolve(out) : reject(new Error(`${error.message}\n${err}`))),
    );
  });
  const output = JSON.parse(stdout) as { explained: Explained; explainedSla: Explained };
  explained = { win: output.explained, sla: output.explainedSla };
  // The flags Debian's Chromium needs headless as root on a machine without a network.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Any request beyond the file itself would mean the page is not self-contained.
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(report).href);
  expect(requests).toEqual([]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report of the agency example, in headless Chromium', () => {
  it('given the page, then every KPI card has a uPlot chart that drew on its canvas, a linked point per period, in the classification colours', async () => {
    const cards = await page.locator('article.kpi').count();
    expect(cards).toBeGreaterThan(20);
    expect(await page.locator('article.kpi figure.chart').count()).toBe(cards);
    // One uPlot per chart, each with its one canvas.
    expect(await page.locator('figure.chart > .plot > .uplot').count()).toBe(cards);
    expect(await page.locator('.uplot canvas').count()).toBe(cards);
    for (const chart of await page.locator('figure.chart').all()) {
      const box = await chart.locator('canvas').boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await chart.locator('a.pt').count()).toBe(
        await chart.locator('xpath=..').locator('details').count(),
      );
    }
    // Every canvas has ink on it (axes, lines, points), and the points show the classification colours.
    const canvases = await page.$$eval('.uplot canvas', (elements) =>
      elements.map((element) => {
        const canvas = element as unknown as Canvas;
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        const colours = new Set<string>();
        for (let i = 0; i < data.length; i += 4) {
          if ((data[i + 3] as number) === 0) continue;
          inked++;
          if (data[i + 3] === 255) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        }
        return { pixels: canvas.width * canvas.height, inked, colours: [...colours] };
      }),
    );
    expect(canvases).toHaveLength(cards);
    for (const c of canvases) expect(c.inked).toBeGreaterThan(c.pixels / 100);
    expect(canvases.some((c) => c.colours.includes(GOOD))).toBe(true);
    expect(canvases.some((c) => c.colours.includes(BREACH))).toBe(true);
  });

  it('given a chart point of an explained result, when it or its period on the chart is clicked, then its explanation opens with each contributing event', async () => {
    for (const [x, where] of [
      [explained.win, 'point'],
      [explained.sla, 'period'],
    ] as const) {
      const anchor = anchorOf(x.resultId);
      const details = page.locator(`details:has(#${anchor})`);
      expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
      const point = page.locator(`figure.chart a.pt[href="#${anchor}"]`);
      if (where === 'point') await point.click();
      else {
        // Off the point, in its period's column of the plot: the chart opens the nearest period's explanation.
        const over = point.locator('xpath=..');
        await over.scrollIntoViewIfNeeded();
        const [o, p] = [await over.boundingBox(), await point.boundingBox()];
        if (o === null || p === null) throw new Error('the chart or its point is not laid out');
        const x = p.x + p.width / 2 - o.x;
        const y = p.y + p.height / 2 - o.y < o.height / 2 ? o.height - 4 : 4;
        await over.click({ position: { x, y } });
      }
      expect(new URL(page.url()).hash).toBe(`#${anchor}`);
      expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
      expect(await details.locator('p.why').isVisible()).toBe(true);
      const items = details.locator('ol.events > li');
      expect(await items.count()).toBe(x.events.length);
      expect(await items.first().isVisible()).toBe(true);
    }
  });

  it('keeps a screenshot of the page for CI', async () => {
    if (!existsSync(ARTIFACTS)) mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'kpi-report.png');
    const png = await page.screenshot({ path: file, fullPage: true });
    // A PNG of a page taller than the viewport, not an empty one.
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.byteLength).toBeGreaterThan(50_000);
  });
});
