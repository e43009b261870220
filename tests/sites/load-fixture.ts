import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import type { PaperEntry } from '../../lib/model/types';
import type { FoundEntry } from '../../lib/sites/types';
import { type VariantName, variantPage } from '../fixtures/hostile/variants.mjs';

/**
 * Loads the saved real pages under tests/fixtures/sites/<site>/<page-kind>.html. Each one's first
 * line records where it came from:
 *   <!-- shelfmark-fixture url="…" captured="…" source="…" [trimmed="…"] -->
 * Pages are parsed with jsdom under their real URL, scripts off, no sub-resources loaded.
 */

export const FIXTURE_ROOT = resolve(__dirname, '../fixtures/sites');

// Further attributes may follow (trimmed="…" for cut-down pages, variant="…" on pages made by
// tests/fixtures/hostile/variants.mjs).
const HEADER =
  /^<!-- shelfmark-fixture url="([^"]+)" captured="([^"]+)" source="([^"]+)"(?: [a-z-]+="[^"]*")* -->$/;

export interface Fixture {
  /** Path relative to tests/fixtures/sites, e.g. "dblp/search.html". */
  name: string;
  /** The directory: the id of the adapter that must claim this page. */
  site: string;
  url: URL;
  captured: string;
  source: string;
  html: string;
}

export function parseFixture(name: string, html: string): Fixture {
  const firstLine = html.slice(0, html.indexOf('\n'));
  const m = HEADER.exec(firstLine);
  if (!m) throw new Error(`${name}: first line is not a shelfmark-fixture header`);
  return {
    name,
    site: name.split('/')[0] ?? '',
    url: new URL(m[1]!.replaceAll('&amp;', '&')),
    captured: m[2]!,
    source: m[3]!,
    html,
  };
}

export function readFixture(name: string): Fixture {
  return parseFixture(name, readFileSync(join(FIXTURE_ROOT, name), 'utf8'));
}

/** A hostile variant of a real page (tests/fixtures/hostile/variants.mjs), parsed under the real page's URL. */
export function loadHostile(name: VariantName): { fixture: Fixture; doc: Document } {
  const fixture = parseFixture(name, variantPage(name).html);
  return { fixture, doc: domFor(fixture.html, fixture.url) };
}

/** Every fixture page: tests/fixtures/sites/<site>/*.html, sorted. */
export function listFixtures(): string[] {
  const out: string[] = [];
  for (const site of readdirSync(FIXTURE_ROOT).toSorted()) {
    const dir = join(FIXTURE_ROOT, site);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).toSorted()) if (f.endsWith('.html')) out.push(`${site}/${f}`);
  }
  return out;
}

/** A DOM for `html` at `url`: jsdom, no scripts, no network. */
export function domFor(html: string, url: string | URL): Document {
  return new JSDOM(html, { url: String(url) }).window.document;
}

export function loadFixture(name: string): { fixture: Fixture; doc: Document } {
  const fixture = readFixture(name);
  return { fixture, doc: domFor(fixture.html, fixture.url) };
}

/** The data part of an entry (what is sent to the background), without the DOM handles. */
export function plain(e: FoundEntry): PaperEntry {
  const { root: _root, titleEl: _titleEl, ...data } = e;
  return data;
}
