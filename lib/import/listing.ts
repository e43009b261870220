import { parseSeedDump } from '../corpus/seed-parser';
import { ImportError, type ParsedImport } from './types';

/**
 * Listing text dumps (the seed format), through the foundation's parser. Lines it cannot
 * place are reported as warnings; a file with no entry at all is rejected.
 */
export function parseListing(text: string, source: string): ParsedImport {
  const r = parseSeedDump(text, source);
  if (!r.entries.length) {
    const p = r.problems[0];
    throw new ImportError(p ? `no title/abstract pair found (${p.reason})` : 'no title/abstract pair found', p?.line);
  }
  return {
    format: 'listing',
    records: r.entries.map((e) => ({
      title: e.title,
      abstract: e.abstract,
      ids: {},
      tags: [],
      line: e.provenance.line,
      ...(e.provenance.listingDate ? { listingDate: e.provenance.listingDate } : {}),
    })),
    warnings: r.problems.map((p) => `Line ${p.line}: ${p.reason.replace(/-/g, ' ')}: "${p.text.slice(0, 80)}"`),
  };
}
