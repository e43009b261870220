#!/usr/bin/env node
// End-to-end in real Chromium: a mark never lies. Real arXiv search-result markup (the captured
// tests/fixtures/sites/arxiv/search.html result as the template, entries generated from the
// installed seed corpus), each page visited twice with the sightings flushed in between:
//  (a) 30 corpus titles, each beside a real-word variant of it (bench/lib/realword.ts: the same
//      generator as the matcher bench), every entry with its own arXiv id;
//  (b) 10 entries with different titles sharing one DOI, one of them a corpus title;
//  (c) 10 corpus titles alone with their own arXiv ids: sure, sole matches that must teach their
//      ids (the positive control, and the sign that the flush has run).
// On the second visit: all 30 originals are `match`, no variant and no other shared-DOI title is,
// and no paper holds an id taken from an entry that is not that paper.
//
//   node tests/e2e/realword.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, fixtureUrl, idbCount, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';

const SEED_PAPERS = 314;
const SEARCH = join(ROOT, 'tests/fixtures/sites/arxiv/search.html');
const SHARED_DOI = '10.5555/proceedings.volume.2025';

/** The generators of the bench (TypeScript), bundled for Node. */
async function generators() {
  const out = await build({
    stdin: {
      contents: "export { realWordVariants } from './bench/lib/realword'; export { fakeTitle, rng } from './bench/lib/evalset'; export { titleKey } from './lib/model/normalize'; export { readRealTitles } from './bench/lib/real-titles'; export { Hunspell } from './lib/match/hunspell';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A search-results page: the fixture with its result list replaced by copies of its first result. */
function searchPage(entries) {
  const html = readFileSync(SEARCH, 'utf8');
  const start = html.indexOf('<li class="arxiv-result">');
  const end = html.lastIndexOf('</li>') + '</li>'.length;
  const first = html.slice(start, html.indexOf('</li>', start) + '</li>'.length);
  // One abstract for every entry would make them all look alike: generated entries have none.
  const template = first.replace(/<p class="abstract mathjax">[\s\S]*?<\/p>/, '');
  const oldId = /arxiv\.org\/abs\/([0-9.]+)/.exec(template)[1];
  const oldTitle = /<p class="title is-5 mathjax">([\s\S]*?)<\/p>/.exec(template)[1];
  const items = entries.map((e) => {
    let li = template.split(oldId).join(e.arxiv).replace(oldTitle, `\n        ${escape(e.title)}\n      `);
    if (e.doi) {
      li = li.replace(
        '<div class="tags is-inline-block">',
        `<div class="tags has-addons"><span class="tag is-dark">doi</span><span class="tag is-light"><a href="https://doi.org/${e.doi}">${e.doi}</a></span></div>\n      <div class="tags is-inline-block">`,
      );
    }
    return li;
  });
  return html.slice(0, start) + items.join('\n') + html.slice(end);
}

/** Status and title of every marked entry, in page order. */
function marked(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('li.arxiv-result')].map((li) => ({
      status: li.getAttribute('data-shelfmark-entry') ?? li.querySelector('[data-shelfmark-entry]')?.getAttribute('data-shelfmark-entry') ?? null,
      title: (li.querySelector('p.title')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
}

/** The generated entries with what the page showed for each (page order). */
const label = (entries, got) => entries.map((e, i) => ({ ...e, status: got[i].status, shown: got[i].title }));
const count = (xs, g, s) => xs.filter((e) => e.group === g && e.status === s).length;

const gen = await generators();
// The extension's English list (dictionary-en), read from disk: the generator drops one-off misspellings with it.
const english = new gen.Hunspell(...['index.aff', 'index.dic'].map((f) => readFileSync(join(ROOT, 'node_modules/dictionary-en', f), 'utf8')));
const ext = await launchChromium();
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= SEED_PAPERS, { timeout: 60000, what: 'the seed corpus in IndexedDB' });
  const before = (await readStores(ext, ['papers'])).papers.filter((p) => !p.mergedInto);
  const heldBefore = new Map(before.map((p) => [p.id, { arxivId: p.arxivId, doi: p.doi }]));
  const byKey = new Map(before.map((p) => [p.key, p]));
  // Papers without ids (so the generated ids are the only ones in play), in a fixed order.
  const free = before.filter((p) => !p.arxivId && !p.doi && p.title.length < 200).toSorted((a, b) => a.id.localeCompare(b.id));
  const variants = gen.realWordVariants(free.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract })), gen.readRealTitles(ROOT), english);
  const firstVariant = new Map();
  for (const v of variants) if (!firstVariant.has(v.of)) firstVariant.set(v.of, v.title);
  const pairs = free.filter((p) => firstVariant.has(p.id)).slice(0, 30);
  assert.equal(pairs.length, 30, '30 corpus titles with a real-word variant');
  const rest = free.filter((p) => !pairs.includes(p));
  const doiPaper = rest[0];
  const control = rest.slice(1, 11);
  let n = 0;
  const id = () => `2599.${String(10000 + n++)}`;
  const pageA = [];
  for (const p of pairs) {
    pageA.push({ group: 'original', paperId: p.id, title: p.title, arxiv: id() });
    pageA.push({ group: 'variant', paperId: p.id, title: firstVariant.get(p.id), arxiv: id() });
  }
  for (const p of control) pageA.push({ group: 'control', paperId: p.id, title: p.title, arxiv: id() });
  const r = gen.rng(17);
  const pageB = [{ group: 'doi-corpus', paperId: doiPaper.id, title: doiPaper.title, arxiv: id(), doi: SHARED_DOI }];
  while (pageB.length < 10) {
    const t = gen.fakeTitle(r);
    if (byKey.has(gen.titleKey(t)) || pageB.some((e) => e.title === t)) continue;
    pageB.push({ group: 'doi-other', title: t, arxiv: id(), doi: SHARED_DOI });
  }
  const urlA = new URL('https://arxiv.org/search/?searchtype=all&query=shelfmark+real+word&size=200').href;
  const urlB = new URL('https://arxiv.org/search/?searchtype=all&query=shelfmark+shared+doi&size=200').href;
  assert.ok(fixtureUrl(SEARCH).startsWith('https://arxiv.org/search/'));
  await serveFixtures(ext.context, [
    { url: urlA, body: searchPage(pageA) },
    { url: urlB, body: searchPage(pageB) },
  ]);

  const visit = async (url, entries) => {
    const page = await ext.context.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const got = await poll(async () => {
      const m = await marked(page);
      return m.length === entries.length && m.every((e) => e.status) && m;
    }, { timeout: 30000, what: `${entries.length} marked entries on ${url}` });
    await page.close();
    return got;
  };
  const sightings0 = (await idbCount(ext, 'shelfmark', 'sightings')).count;
  const first = [await visit(urlA, pageA), await visit(urlB, pageB)];
  // The flush: the sightings are written, and the control papers learned their ids.
  await poll(async () => {
    const ps = new Map((await readStores(ext, ['papers'])).papers.map((p) => [p.id, p]));
    return control.every((c) => ps.get(c.id)?.arxivId === pageA.find((e) => e.paperId === c.id).arxiv);
  }, { timeout: 30000, what: 'the sightings flush (control papers learn their arXiv ids)' });
  const sightings = (await idbCount(ext, 'shelfmark', 'sightings')).count - sightings0;
  assert.ok(sightings > 0, 'sightings written');

  const second = [await visit(urlA, pageA), await visit(urlB, pageB)];
  const a2 = label(pageA, second[0]);
  const b2 = label(pageB, second[1]);
  const a1 = label(pageA, first[0]);
  for (const e of [...a2, ...b2]) assert.equal(e.shown, e.title.replace(/\s+/g, ' ').trim(), 'page order kept');

  assert.equal(count(a2, 'original', 'match'), 30, 'second visit: all 30 originals are match');
  assert.deepEqual(a2.filter((e) => e.group === 'variant' && e.status === 'match').map((e) => e.title), [], 'no real-word variant is match');
  assert.deepEqual(b2.filter((e) => e.group === 'doi-other' && e.status === 'match').map((e) => e.title), [], 'no other shared-DOI title is match');
  assert.equal(count(b2, 'doi-corpus', 'match'), 1, 'the corpus title with the shared DOI is match');
  assert.equal(count(a2, 'control', 'match'), 10);

  // No paper holds an id taken from an entry that is not that paper.
  const entryOfId = new Map([...pageA, ...pageB].map((e) => [e.arxiv, e]));
  const after = (await readStores(ext, ['papers'])).papers;
  const wrongIds = [];
  let learned = 0;
  for (const p of after) {
    const was = heldBefore.get(p.id) ?? {};
    if (p.arxivId && p.arxivId !== was.arxivId) {
      learned++;
      const from = entryOfId.get(p.arxivId);
      if (!from || gen.titleKey(from.title) !== p.key) wrongIds.push(`${p.title} ← arXiv ${p.arxivId} (${from?.title})`);
    }
    if (p.doi && p.doi !== was.doi && p.doi.toLowerCase() === SHARED_DOI) wrongIds.push(`${p.title} ← shared DOI`);
    for (const l of p.learnedIds ?? []) if (gen.titleKey(l.title) !== p.key && !(p.aliasKeys ?? []).includes(gen.titleKey(l.title))) wrongIds.push(`${p.title} ← provenance ${l.title}`);
  }
  assert.deepEqual(wrongIds, [], 'no paper holds an id from another paper’s entry');
  const controlLearned = control.filter((c) => after.find((p) => p.id === c.id)?.learnedIds?.some((l) => l.kind === 'arxiv' && l.pageUrl === urlA)).length;
  assert.equal(controlLearned, 10, 'the control papers learned their ids, with provenance');

  console.log(
    `realword e2e: page A ${pageA.length} entries (30 originals + 30 real-word variants + 10 controls), page B ${pageB.length} entries sharing one DOI; ` +
      `${sightings} sightings flushed between visits\n` +
      `  visit 1: originals match ${count(a1, 'original', 'match')}/30, variants match ${count(a1, 'variant', 'match')}/30 (maybe ${count(a1, 'variant', 'maybe')}, none ${count(a1, 'variant', 'none')})\n` +
      `  visit 2: originals match ${count(a2, 'original', 'match')}/30, variants match ${count(a2, 'variant', 'match')}/30 (maybe ${count(a2, 'variant', 'maybe')}, none ${count(a2, 'variant', 'none')}); ` +
      `shared-DOI others match ${count(b2, 'doi-other', 'match')}/9 (maybe ${count(b2, 'doi-other', 'maybe')}, none ${count(b2, 'doi-other', 'none')}), corpus title match ${count(b2, 'doi-corpus', 'match')}/1\n` +
      `  ids learned: ${learned} (controls ${controlLearned}/10), wrong ids held: ${wrongIds.length}`,
  );
} finally {
  await ext.close();
}
