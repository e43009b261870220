import type { Creator, Entry } from '@retorquere/bibtex-parser';

/**
 * A fast reader for the common BibTeX entry: `@type{key, field = {value}, …}` whose values hold
 * no LaTeX beyond case-protecting braces and the escapes \& \% \$ \# \_, with authors written
 * "Last, First". That is most of a Zotero or Better BibTeX export, and reading it needs no
 * LaTeX-aware parser (which costs milliseconds an entry: minutes for a 60k-entry library).
 *
 * It returns undefined for anything else (a macro, a quoted value, an accent command, math, a
 * dash, initials…), and the caller hands that entry to the full parser: this reader never
 * guesses. What it returns is what the full parser returns for the same entry
 * (tests/import/bibtex-plain.test.ts compares the two over a generated class of entries).
 */

const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
const MONTH_NUMBER: Record<string, string> = { jan: '1', feb: '2', mar: '3', apr: '4', may: '5', jun: '6', jul: '7', aug: '8', sep: '9', oct: '10', nov: '11', dec: '12' };
/** Types the full parser treats specially. */
const SPECIAL_TYPES = new Set(['string', 'preamble', 'comment']);
/** Anything LaTeX could turn into something else: commands, math, ties, ligature dashes and quotes, OT1 "<" ">", special chars. */
const NOT_PLAIN = /[$~^`<>%&#_]|\\(?![&%$#_])|--|''|!`|\?`/;
/**
 * Text fields: the same, except the ligatures the full parser always resolves the same way
 * (---, --, ``, '' and OT1's "<" and ">"), which LIGATURES below replaces; a lone ` or ' stays
 * as it is. A ligature next to a brace, "!`" or "?`" still steps aside.
 */
const NOT_PLAIN_TEXT = /[$~^%&#_]|\\(?![&%$#_])|!`|\?`|[-'`<>][{}]|[{}][-'`<>]/;
const LIGATURES = /---|--|``|''|[<>]/g;
const LIGATURE: Record<string, string> = { '---': '\u2014', '--': '\u2013', '``': '\u201c', "''": '\u201d', '<': '\u00a1', '>': '\u00bf' };
/** Fields the full parser keeps verbatim or splits: must hold no braces or backslashes to be read here. */
const RAW_FIELDS = new Set(['url', 'doi', 'eprint', 'file', 'keywords', 'openreview', 'archiveprefix', 'eprinttype', 'howpublished', 'pdf', 'verba', 'verbb', 'verbc']);

function plainValue(raw: string, text = false): string | undefined {
  const noEsc = raw.replace(/\\[&%$#_]/g, '');
  if ((text ? NOT_PLAIN_TEXT : NOT_PLAIN).test(noEsc)) return undefined;
  // Braces only group (case protection): balanced, and gone in the text.
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth < 0) return undefined;
  }
  if (depth) return undefined;
  const out = raw.replace(/[{}]/g, '');
  return (text ? out.replace(LIGATURES, (m) => LIGATURE[m]!) : out).replace(/\\([&%$#_])/g, '$1');
}

/** "Last, First and Last, First" ("von Last, First" too): each name one comma. */
function creators(raw: string): Creator[] | undefined {
  if (/[{}\\]|--|''/.test(raw)) return undefined;
  const names = raw.split(/\s+and\s+/);
  const out: Creator[] = [];
  for (const n of names) {
    const parts = n.split(',');
    if (parts.length !== 2) return undefined;
    const last = parts[0]!.trim().replace(/\s+/g, ' ');
    const first = parts[1]!.trim().replace(/\s+/g, ' ');
    if (!last || !first) return undefined;
    // Leading lower-case words of the last name are its "von" part ("van der Berg"); a lower-case
    // word after a capitalized one, or dots (initials, which the full parser spaces), step aside.
    const words = last.split(' ');
    let von = 0;
    while (von < words.length && !/^\p{Lu}/u.test(words[von]!)) von++;
    if (von === words.length || words.slice(von).some((w) => !/^\p{Lu}/u.test(w)) || /[.\-']/.test(first) || !/^\p{Lu}/u.test(first)) return undefined;
    if (/[^\p{L}\p{M} '-]/u.test(last) || /[^\p{L}\p{M} ]/u.test(first) || words.slice(0, von).some((w) => !/^\p{Ll}+$/u.test(w))) return undefined;
    const c = { lastName: words.slice(von).join(' '), firstName: first } as Creator;
    if (von) c.prefix = words.slice(0, von).join(' ');
    out.push(c);
  }
  return out;
}

/**
 * Reads one entry (the text from its "@" to the next entry's "@"). Undefined when the entry is
 * not the plain kind described above; the caller then uses the full parser for it.
 */
export function readPlainEntry(seg: string): Entry | undefined {
  const head = /^@([A-Za-z]+)\s*\{\s*([^\s,{}()"#%'=\\]+)\s*,/.exec(seg);
  if (!head) return undefined;
  const type = head[1]!.toLowerCase();
  if (SPECIAL_TYPES.has(type)) return undefined;
  const fields: Record<string, unknown> = {};
  let i = head[0].length;
  const n = seg.length;
  const ws = () => {
    while (i < n && /\s/.test(seg[i]!)) i++;
  };
  for (;;) {
    ws();
    if (seg[i] === '}') {
      i++;
      break;
    }
    const name = /^[A-Za-z][\w-]*/.exec(seg.slice(i, i + 64))?.[0];
    if (!name) return undefined;
    const key = name.toLowerCase();
    if (key in fields) return undefined;
    i += name.length;
    ws();
    if (seg[i] !== '=') return undefined;
    i++;
    ws();
    let raw: string;
    let bare = false;
    if (seg[i] === '{') {
      let depth = 0;
      const start = i + 1;
      for (; i < n; i++) {
        const c = seg.charCodeAt(i);
        if (c === 123) depth++;
        else if (c === 125 && --depth === 0) break;
      }
      if (i >= n) return undefined;
      raw = seg.slice(start, i);
      i++;
    } else {
      const m = /^[A-Za-z0-9]+/.exec(seg.slice(i, i + 32))?.[0];
      if (!m) return undefined;
      raw = m;
      bare = true;
      i += m.length;
    }
    ws();
    if (seg[i] === ',') i++;
    else if (seg[i] !== '}') return undefined;

    if (bare) {
      if (/^\d+$/.test(raw)) fields[key] = raw;
      else if (key === 'month' && MONTHS.has(raw.toLowerCase())) fields[key] = MONTH_NUMBER[raw.toLowerCase()];
      else return undefined;
      continue;
    }
    if (RAW_FIELDS.has(key) && /[{}\\\s]/.test(raw.trim()) && key !== 'keywords' && key !== 'file') return undefined;
    if (key === 'author' || key === 'editor') {
      const c = creators(raw);
      if (!c) return undefined;
      fields[key] = c;
      continue;
    }
    if (key === 'keywords') {
      if (/[{}\\]/.test(raw) || NOT_PLAIN.test(raw)) return undefined;
      const kws = raw
        .split(/[,;]/)
        .map((k) => k.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
      // The full parser hands keywords back deduplicated and sorted; order decides which spelling a new tag gets.
      fields[key] = [...new Set(kws)].toSorted((a, b) => a.localeCompare(b));
      continue;
    }
    const v = plainValue(raw, !RAW_FIELDS.has(key));
    if (v === undefined) return undefined;
    fields[key] = v.replace(/\s+/g, ' ').trim();
  }
  if (seg.slice(i).trim()) return undefined;
  return { type, key: head[2]!, fields, input: seg.slice(0, i) } as unknown as Entry;
}
