import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import type { FoundEntry } from '../../lib/sites/types';
import type { PaperEntry } from '../../lib/model/types';
import { type VariantName, variantPage } from '../fixtures/hostile/variants.mjs';

const ROOT = resolve(import.meta.dirname, '../fixtures');

export interface Fixture {
  url: URL;
  captured: string;
  source: string;
  doc: Document;
  dom: JSDOM;
}

/** Loads a fixture, reads its `shelfmark-fixture` header and parses it under its real URL (scripts never run). */
export function loadFixture(rel: string): Fixture {
  return parseFixture(rel, readFileSync(resolve(ROOT, rel), 'utf8'));
}

function parseFixture(rel: string, html: string): Fixture {
  const header = /^<!-- shelfmark-fixture url="([^"]+)" captured="([^"]+)" source="([^"]+)"[^>]*-->/.exec(html);
  if (!header) throw new Error(`${rel}: first line is not a shelfmark-fixture header`);
  const url = new URL(header[1]!.replaceAll('&amp;', '&'));
  const dom = new JSDOM(html, { url: url.href });
  return { url, captured: header[2]!, source: header[3]!, doc: dom.window.document, dom };
}

const shared = new Map<string, Fixture>();

/**
 * Like loadFixture, but parsed once per test file and shared: for tests that only read the page.
 * (Parsing the larger captures costs about a second on a loaded machine.)
 */
export function sharedFixture(rel: string): Fixture {
  let f = shared.get(rel);
  if (!f) {
    f = loadFixture(rel);
    shared.set(rel, f);
  }
  return f;
}

/** A hostile or badge variant of a real page (tests/fixtures/hostile/variants.mjs), parsed once per test file. */
export function sharedVariant(name: VariantName): Fixture {
  let f = shared.get(name);
  if (!f) {
    f = parseFixture(name, variantPage(name).html);
    shared.set(name, f);
  }
  return f;
}

/** The data part of an entry, for deep equality. */
export function plain(e: FoundEntry): PaperEntry {
  const out: PaperEntry = { title: e.title, ids: e.ids };
  if (e.authors !== undefined) out.authors = e.authors;
  if (e.url !== undefined) out.url = e.url;
  if (e.abstract !== undefined) out.abstract = e.abstract;
  return out;
}
