import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Every paper title of the captured real listing pages (<root>/tests/fixtures/sites/<site>/
 * *.expected.json, `{url, titles}`): proceedings pages of NeurIPS, ICML (PMLR), CVPR, AAAI and
 * ICLR, ~6,000 titles; and the NeurIPS year pages captured without a title list (their titles are
 * the `a[title="paper title"]` links, ~1,000 more). The real-word near-miss class takes its
 * vocabulary from them.
 * Node only: kept out of realword.ts, which the e2e page generator imports too.
 */
export function readRealTitles(root: string): string[] {
  const dir = resolve(root, 'tests/fixtures/sites');
  const out: string[] = [];
  for (const site of readdirSync(dir).toSorted()) {
    let files: string[];
    try {
      files = readdirSync(join(dir, site));
    } catch {
      continue; // a file, not a site folder
    }
    for (const f of files.filter((x) => x.endsWith('.expected.json')).toSorted()) {
      const data = JSON.parse(readFileSync(join(dir, site, f), 'utf8')) as { titles?: unknown };
      if (!Array.isArray(data.titles)) throw new Error(`${site}/${f}: no titles array`);
      for (const t of data.titles) if (typeof t === 'string' && t.trim()) out.push(t);
    }
    for (const f of files.filter((x) => x.endsWith('.html') && !files.includes(x.replace(/\.html$/, '.expected.json'))).toSorted()) {
      const html = readFileSync(join(dir, site, f), 'utf8');
      for (const m of html.matchAll(/<a title="paper title"[^>]*>([^<]+)<\/a>/g)) out.push(decode(m[1]!).trim());
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_m, e: string) => ENTITIES[e]!);
}
