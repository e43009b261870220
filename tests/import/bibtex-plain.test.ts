import { describe, it, expect } from 'vitest';
import { parseBibtex, parseBibtexChunked } from '../../lib/import';
import { readPlainEntry } from '../../lib/import/bibtex-plain';
import { rng } from '../../lib/model/rng';

/**
 * The plain-entry reader must give exactly what the LaTeX-aware parser gives, or step aside.
 * Entries are generated from pieces that are plain (words, case-protecting braces, the five
 * simple escapes, "Last, First" names, month macros, numbers), ligatures the reader resolves as
 * the parser does (dashes, TeX quotes, OT1 "<" ">", a lone backtick kept) and pieces that are not plain (accent
 * commands, math, ties, a ligature against a brace, "!`", von particles, initials,
 * quoted values, macros, keywords with braces), in every field the import reads and some it
 * ignores; the chunked parse
 * (plain reader + full parser) is compared with the one-shot full parse, records and warnings.
 */

const PLAIN = ['Learning', 'Diffusion Models', '{GPT}-4', '{{BERT}}', 'Über Größe', 'scale 1.5x', 'A \\& B', '50\\%', 'a\\_b', '\\$5', 'x/y (z) [w]', 'What? Yes!', "it's", 'a-b', 'multi\n   line', 'Ω 中文', 'c@d', '3+4=7', '"dq" said', 'a "b'];
const LIGATURES = ['a -- b', 'a---b', 'a----b', '1--10', "``quoted''", "''quoted''", '``q', "q'''", 'a < b', 'x > y', '<b>bold</b>', '--x--', "---''", "x`y", '`single', "`teacher' nets", '```x'];
const LATEX = ['M{\\"u}ller', '$\\alpha$', 'x~y', '\\emph{x}', '{\\em y}', '\\textbf{z}', 'a_b', 'x^2', '\\url{u}', 'a%b', '{\\ss}', 'a -{B}', '{--}x', '!`', '?`', "``{Q}''"];
const NAMES_PLAIN = ['Doe, Jane', 'Müller, Jörg', "O'Brien, Kyle", 'Li, Wei', 'Garcia Lopez, Maria', 'van der Berg, Anna', 'de la Cruz, Ana', 'von Neumann, John'];
const NAMES_ODD = ['Smith--Jones, Ann', "O''Hara, Kim", 'Doe, J.', 'Jane Doe', 'Roe, R. J.', 'Smith, Jr., John', 'others', '{Big Lab}', 'Berg van Dam, Anna', 'van der, Anna', 'Doe, Jean-Paul', 'M{\\"u}ller, J', "d'Alembert, Jean"];

function entryText(r: () => number, i: number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => (r() < 0.06 ? pick(LATEX) : r() < 0.08 ? pick(LIGATURES) : pick(PLAIN))).join(' ');
  const fields: string[] = [];
  if (r() < 0.95) fields.push(`title = {${text(2 + Math.floor(r() * 5))}}`);
  if (r() < 0.8) fields.push(`author = {${Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.15 ? pick(NAMES_ODD) : pick(NAMES_PLAIN))).join(' and ')}}`);
  if (r() < 0.7) fields.push(r() < 0.5 ? `year = ${2000 + Math.floor(r() * 25)}` : `year = {${2000 + Math.floor(r() * 25)}}`);
  if (r() < 0.3) fields.push(`month = ${pick(['jan', 'jun', 'dec', '3', '{May}'])}`);
  if (r() < 0.5) fields.push(`${pick(['journal', 'booktitle', 'journaltitle'])} = {${text(3)}}`);
  if (r() < 0.5) fields.push(`abstract = {${text(12)}}`);
  if (r() < 0.2) fields.push(`note = {${text(4)}}`);
  if (r() < 0.4) fields.push(`eprint = {${pick(['2101.01234', 'arXiv:2203.04567v2', 'hep-th/9901001', '2101.01234 '])}}`, `archivePrefix = {${pick(['arXiv', 'arxiv', 'other'])}}`);
  if (r() < 0.4) fields.push(`doi = {${pick(['10.1000/xyz', '10.1/a_b', '10.1/{x}', '10.5555/q.2020'])}}`);
  if (r() < 0.4) fields.push(`url = {${pick(['https://arxiv.org/abs/2101.01234', 'https://openreview.net/forum?id=abcDEF123', 'http://x.org/~user', 'https://doi.org/10.1/z', 'ftp://x'])}}`);
  if (r() < 0.3) fields.push(`keywords = {${Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(['robotics', 'Reinforcement learning', 'to-read', 'a;b', '{RL}', 'Zeta', 'alpha', 'É'])).join(pick([', ', '; ', ',']))}}`);
  if (r() < 0.3) fields.push(`file = {PDF:/home/u/Zotero/storage/ABC${i}/x.pdf:application/pdf}`);
  if (r() < 0.2) fields.push(`pages = {${pick(['1--10', '5', '{12}'])}}`);
  if (r() < 0.05) fields.push(`title2 = "quoted value"`);
  const type = pick(['article', 'Article', 'inproceedings', 'misc', 'book']);
  const sep = pick([',\n  ', ', ', ',\n\t']);
  return `@${type}{key${i}${pick([',', ',\n  '])}${fields.join(sep)}${r() < 0.5 ? ',' : ''}\n}\n`;
}

function parseBibtexEntryFields(entry: string): unknown {
  const rec = parseBibtex(entry).records[0]!;
  return { title: rec.title, abstract: rec.abstract };
}

describe('plain BibTeX entries', () => {
  it('the chunked parse (plain reader + full parser) equals the full parse over generated files', async () => {
    let plainEntries = 0;
    let allEntries = 0;
    let rejected = 0;
    for (let f = 0; f < 8; f++) {
      const r = rng(100 + f);
      const entries = Array.from({ length: 150 }, (_, i) => entryText(r, i));
      // One file with an undefined macro late in it: both parses must reject it alike.
      if (f === 0) entries[140] = '@misc{m, title = {T}, series = macroname}\n';
      for (const e of entries) {
        allEntries++;
        if (readPlainEntry(e)) plainEntries++;
      }
      const text = entries.join(f % 2 ? '\n' : '');
      // An unknown macro rejects the file: then both must reject it with the same message.
      const full = (() => {
        try {
          return parseBibtex(text);
        } catch (e) {
          return (e as Error).message;
        }
      })();
      const chunked = await parseBibtexChunked(text, { batch: 20 }).catch((e: Error) => e.message);
      expect(chunked).toEqual(full);
      if (typeof full !== 'string') expect(full.records).toHaveLength(150);
      else rejected++;
    }
    expect(rejected).toBe(1);
    // Both kinds are exercised: most entries are plain, many are not.
    expect(plainEntries).toBeGreaterThan(allEntries * 0.1);
    expect(plainEntries).toBeLessThan(allEntries * 0.9);
  }, 120_000);

  it('steps aside for what needs LaTeX or macros, or names it cannot split as BibTeX does', () => {
    for (const bad of LATEX) expect(readPlainEntry(`@misc{k, title = {${bad}}}`)).toBeUndefined();
    for (const name of NAMES_ODD) expect(readPlainEntry(`@misc{k, title = {T}, author = {${name}}}`)).toBeUndefined();
    expect(readPlainEntry('@misc{k, title = "T"}')).toBeUndefined();
    expect(readPlainEntry('@misc{k, title = {T}, series = ser}')).toBeUndefined();
    expect(readPlainEntry('@string{k = {T}}')).toBeUndefined();
    expect(readPlainEntry('@misc{k, title = {T}, title = {U}}')).toBeUndefined();
    expect(readPlainEntry('@misc{k, title = {T}} trailing text')).toBeUndefined();
    expect(readPlainEntry('@misc{k, title = {T}, month = jan, year = 2020}')?.fields).toEqual({ title: 'T', month: '1', year: '2020' });
    // A URL or DOI keeps its dashes: only text fields get ligatures.
    expect(readPlainEntry('@misc{k, url = {https://x.org/a--b}}')).toBeUndefined();
  });

  it('resolves ligatures in text fields exactly as the full parser does', () => {
    for (const lig of LIGATURES) {
      const entry = `@misc{k, title = {${lig}}, abstract = {Before ${lig} after}}`;
      expect(readPlainEntry(entry)?.fields, lig).toEqual(parseBibtexEntryFields(entry));
    }
  });
});
