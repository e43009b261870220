import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_ROOT } from './load-fixture';

/**
 * The titles a browser shows on a captured page, in page order, as recorded next to the capture
 * (`<page>.expected.json` = {url, titles}: taken from the capture's source, not from an adapter).
 */
export function expectedTitles(name: string): { url: string; titles: string[] } {
  const path = join(FIXTURE_ROOT, name.replace(/\.html$/, '.expected.json'));
  if (!existsSync(path)) throw new Error(`${name}: no expected titles next to it`);
  const data = JSON.parse(readFileSync(path, 'utf8')) as { url: string; titles: string[] };
  return data;
}
