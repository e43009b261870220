/**
 * Parser for listing text dumps: the text a user gets by selecting a paper listing page
 * (Hugging Face daily/trending papers and the like) and pasting it into a file.
 *
 * A dump is a sequence of "title line, abstract line" pairs, either separated by blank lines or
 * not, with some page chrome around them ("Subscribe", "new", …) and optional date lines
 * ("Mar 17") that date the entries after them. Real users drop in more dumps of this kind, so
 * the parser never guesses silently: every non-blank line is either recognized (chrome, date,
 * title, abstract) or reported in `problems` with its line number.
 *
 * Pure module (no browser, no Node APIs): it runs in the build hook, in tests and, if ever
 * needed, in the extension.
 */
import type { Provenance } from '../model/types';

export interface SeedProvenance extends Provenance {
  kind: 'seed';
  source: string;
  line: number;
}

export interface SeedEntry {
  title: string;
  abstract: string;
  provenance: SeedProvenance;
}

export type SeedProblemReason =
  /** A short, title-like line with no abstract after it. */
  | 'title-without-abstract'
  /** An abstract-like line with no title before it. */
  | 'abstract-without-title';

export interface SeedProblem {
  source: string;
  /** 1-based line number in the source file. */
  line: number;
  text: string;
  reason: SeedProblemReason;
}

export interface SeedParseResult {
  entries: SeedEntry[];
  problems: SeedProblem[];
}

/**
 * Page chrome of the listing pages, compared case-insensitively after whitespace cleanup.
 * These lines carry no paper data; they come from the page header and the per-entry badges.
 */
const CHROME_LINES = new Set(
  [
    'new',
    'Get trending papers in your email inbox!',
    'Get trending papers in your email inbox once a day!',
    'Subscribe',
    'byAK and the research community',
  ].map((s) => s.toLowerCase()),
);

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const MONTH_NAMES =
  'January|February|March|April|May|June|July|August|September|October|November|December';
/** "Mar 17", "March 17", "Mar 17, 2025": the listing's date header. */
const DATE_LINE = new RegExp(`^(?:${MONTHS}|${MONTH_NAMES})\\.? \\d{1,2}(?:, \\d{4})?$`, 'i');

/**
 * The page's "Subscribe" button text runs straight into the first title when the dump was
 * copied without line breaks ("SubscribeFORGE: …"). Only a capital letter, digit or a
 * title-opening symbol may follow, so a title like "Subscriber churn …" is left alone.
 */
const GLUED_SUBSCRIBE = /^Subscribe(?=[\p{Lu}\p{N}$"'“([])/u;

/** Some abstracts carry the page's "Abstract" label in front ("Abstract Language Models …"). */
const ABSTRACT_LABEL = /^Abstract(?:\s*[:.—–-])?\s+(?=\S)/;

/**
 * Cleans a raw line: Unicode NFC, no-break and odd spaces to plain spaces, zero-width
 * characters and a BOM removed, runs of whitespace collapsed. Titles are compared by key
 * later, but the stored text should be clean too.
 */
export function cleanLine(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .trim();
}

function wordCount(s: string): number {
  return s.split(' ').filter(Boolean).length;
}

/**
 * An abstract is prose: many words, or several sentences ending in punctuation. Titles in the
 * seeds run up to ~25 words and abstracts start at ~80, so the thresholds leave a wide margin;
 * a title ending in "?" ("What is Essential …?") is not mistaken for prose because it is short.
 */
export function looksLikeAbstract(line: string): boolean {
  const words = wordCount(line);
  if (words >= 40) return true;
  const sentenceBreaks = (line.match(/[.!?]\s+\p{Lu}/gu) ?? []).length;
  return words >= 18 && sentenceBreaks >= 1 && /[.!?)]$/.test(line);
}

/** A title: short, with at least one letter, and not prose. */
export function looksLikeTitle(line: string): boolean {
  return line.length <= 400 && /\p{L}/u.test(line) && !looksLikeAbstract(line);
}

interface Candidate {
  line: number;
  text: string;
  listingDate?: string;
}

/**
 * Parses one dump. `source` is the file name recorded in each entry's provenance.
 * Both layouts (blank-line separated or not) parse the same way because blank lines are
 * skipped; pairing relies on what the lines look like, not on their position.
 */
export function parseSeedDump(text: string, source: string): SeedParseResult {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const candidates: Candidate[] = [];
  let listingDate: string | undefined;
  // True until the first content line: the glued "Subscribe" only happens in the header.
  let inHeader = true;

  lines.forEach((raw, i) => {
    let line = cleanLine(raw);
    if (!line) return;
    if (CHROME_LINES.has(line.toLowerCase())) return;
    if (DATE_LINE.test(line)) {
      listingDate = line;
      return;
    }
    if (inHeader) {
      const glued = GLUED_SUBSCRIBE.exec(line);
      if (glued) line = line.slice(glued[0].length);
    }
    inHeader = false;
    candidates.push({ line: i + 1, text: line, ...(listingDate ? { listingDate } : {}) });
  });

  const entries: SeedEntry[] = [];
  const problems: SeedProblem[] = [];
  let i = 0;
  while (i < candidates.length) {
    const cur = candidates[i]!;
    const next = candidates[i + 1];
    if (looksLikeTitle(cur.text) && next && looksLikeAbstract(next.text)) {
      const provenance: SeedProvenance = { kind: 'seed', source, line: cur.line };
      if (cur.listingDate) provenance.listingDate = cur.listingDate;
      entries.push({
        title: cur.text,
        abstract: next.text.replace(ABSTRACT_LABEL, ''),
        provenance,
      });
      i += 2;
      continue;
    }
    problems.push({
      source,
      line: cur.line,
      text: cur.text,
      reason: looksLikeAbstract(cur.text) ? 'abstract-without-title' : 'title-without-abstract',
    });
    i += 1;
  }
  return { entries, problems };
}

/** Parses several dumps; entries keep file order, then line order. */
export function parseSeedDumps(files: { name: string; text: string }[]): SeedParseResult {
  const entries: SeedEntry[] = [];
  const problems: SeedProblem[] = [];
  for (const f of files) {
    const r = parseSeedDump(f.text, f.name);
    entries.push(...r.entries);
    problems.push(...r.problems);
  }
  return { entries, problems };
}
