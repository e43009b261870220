import { idsFromUrl, normalizeArxivId, normalizeDoi, normalizePmid } from '../model/ids';
import { joinName, splitName } from '../export/names';
import { ImportError, type ImportRecord, type ParsedImport } from './types';

/**
 * RIS parser. A record runs from "TY  - " to "ER  - "; each line is "XX  - value" (two-character
 * tag, two spaces, hyphen, space). Lines without a tag inside a record continue the previous
 * value (some exporters wrap long abstracts). Structural errors reject the file with the line.
 */

const TAG_LINE = /^([A-Z][A-Z0-9])  -(?: (.*))?$/;

// The database a record came from (DB, or DP "database provider"): PubMed under its names.
const PUBMED_DB = /\b(?:pubmed|medline|nlm)\b/i;

/**
 * RIS has no PMID tag: records from PubMed carry it as their accession number (AN) with DB or DP
 * naming PubMed/MEDLINE/NLM. A bare number is a PMID only then (other databases number their
 * records too); "PMID: 123" / "PMID123" is one whatever the database.
 */
function pmidOfAccession(v: string, fromPubmed: boolean): string | undefined {
  const labelled = /^pmid:?\s*(\d+)$/i.exec(v.trim());
  if (labelled) return normalizePmid(labelled[1]!);
  return fromPubmed ? normalizePmid(v) : undefined;
}

function risAuthorToDisplay(v: string): string {
  const t = v.trim();
  if (!t.includes(',')) return t;
  const n = splitName(t);
  return joinName(n);
}

interface RawRecord {
  line: number;
  fields: [string, string][];
}

export function parseRisRecords(text: string): RawRecord[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const out: RawRecord[] = [];
  let cur: RawRecord | undefined;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.replace(/\s+$/, '');
    const m = TAG_LINE.exec(raw);
    if (!m) {
      if (!raw.trim()) continue;
      if (cur && cur.fields.length) {
        const last = cur.fields[cur.fields.length - 1]!;
        last[1] = `${last[1]} ${raw.trim()}`.trim();
        continue;
      }
      throw new ImportError(`not a RIS line (expected "XX  - value"): "${raw.slice(0, 60)}"`, n);
    }
    const tag = m[1]!;
    const value = (m[2] ?? '').trim();
    if (tag === 'TY') {
      if (cur) throw new ImportError(`a new record starts (TY) before the record of line ${cur.line} ended (ER)`, n);
      if (!value) throw new ImportError('TY has no reference type', n);
      cur = { line: n, fields: [['TY', value]] };
      continue;
    }
    if (!cur) throw new ImportError(`${tag} outside a record (every record starts with TY)`, n);
    if (tag === 'ER') {
      out.push(cur);
      cur = undefined;
      continue;
    }
    cur.fields.push([tag, value]);
  }
  if (cur) throw new ImportError(`the record of line ${cur.line} has no end (ER)`, lines.length);
  return out;
}

export function parseRis(text: string): ParsedImport {
  const raws = parseRisRecords(text);
  if (!raws.length && text.trim()) throw new ImportError('no RIS records found');
  const records: ImportRecord[] = [];
  const warnings: string[] = [];
  for (const r of raws) {
    const rec: ImportRecord = { ids: {}, tags: [], line: r.line };
    const authors: string[] = [];
    const notes: string[] = [];
    const urls: string[] = [];
    const accession: string[] = [];
    let fromPubmed = false;
    for (const [tag, v] of r.fields) {
      if (!v) continue;
      switch (tag) {
        case 'TI':
        case 'T1':
          rec.title ??= v;
          break;
        case 'AU':
        case 'A1':
          authors.push(risAuthorToDisplay(v));
          break;
        case 'PY':
        case 'Y1':
        case 'DA': {
          const m = /\b(\d{4})\b/.exec(v);
          if (m && !rec.year) rec.year = Number(m[1]);
          break;
        }
        case 'AB':
        case 'N2':
          rec.abstract ??= v;
          break;
        case 'JO':
        case 'JF':
        case 'T2':
        case 'BT':
          rec.venue ??= v;
          break;
        case 'DO': {
          const d = normalizeDoi(v);
          if (d) rec.ids.doi ??= d;
          break;
        }
        case 'AN': {
          if (/arxiv/i.test(v)) {
            const a = normalizeArxivId(v.replace(/^.*?arxiv:?\s*/i, ''));
            if (a) rec.ids.arxiv ??= a;
          } else accession.push(v);
          break;
        }
        case 'DB':
        case 'DP':
          if (PUBMED_DB.test(v)) fromPubmed = true;
          break;
        case 'UR':
        case 'L1':
        case 'L2':
        case 'LK':
          urls.push(v);
          break;
        case 'KW':
          rec.tags.push(v);
          break;
        case 'N1':
          notes.push(v);
          break;
        default:
          break;
      }
    }
    if (authors.length) rec.authors = authors;
    if (notes.length) rec.note = notes.join('\n');
    for (const u of urls) {
      if (!/^https?:\/\//i.test(u)) continue;
      rec.url ??= u;
      const ids = idsFromUrl(u);
      rec.ids.arxiv ??= ids.arxiv;
      rec.ids.doi ??= ids.doi;
      rec.ids.openreview ??= ids.openreview;
      rec.ids.pmid ??= ids.pmid;
    }
    for (const a of accession) {
      const pmid = pmidOfAccession(a, fromPubmed);
      if (pmid) rec.ids.pmid ??= pmid;
    }
    for (const k of ['arxiv', 'doi', 'openreview', 'pmid'] as const) if (!rec.ids[k]) delete rec.ids[k];
    if (!rec.title && !Object.keys(rec.ids).length) warnings.push(`Line ${r.line}: record has no title and no id; skipped.`);
    records.push(rec);
  }
  return { format: 'ris', records, warnings };
}
