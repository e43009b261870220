import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshDb } from '../export/fixtures';
import { importText, detectFormat } from '../../lib/import';
import { parseSeedDumps } from '../../lib/corpus/seed-parser';
import { collapseEntries } from '../../lib/corpus/corpus';
import { exportSelection } from '../../lib/export';

/** The real seed dumps imported as a user would: each file through the listing importer. */
describe('real listing dumps', () => {
  it('every seed dump imports; repeated papers across dumps are merged, not duplicated', async () => {
    const dir = join(process.cwd(), 'seeds');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .toSorted()
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    const entries = parseSeedDumps(files).entries.length;
    const unique = collapseEntries(parseSeedDumps(files).entries).length;
    const db = freshDb();
    let created = 0;
    let merged = 0;
    for (const f of files) {
      expect(detectFormat(f.text, f.name)).toBe('listing');
      const r = await importText(db, f.text, { filename: f.name });
      created += r.new;
      merged += r.merged;
      expect(r.skipped).toBe(0);
    }
    expect(created + merged).toBe(entries);
    // Same-key titles always merge; the matcher may merge a few more (renderings of one title).
    expect(created).toBeLessThanOrEqual(unique);
    expect(await db.papers.count()).toBe(created);
    // Importing them all again changes nothing.
    const before = await db.papers.count();
    for (const f of files) expect((await importText(db, f.text, { filename: f.name })).new).toBe(0);
    expect(await db.papers.count()).toBe(before);
    // And the whole library exports as valid CSV/BibTeX sized like the library.
    const bib = await exportSelection(db, { kind: 'all' }, 'bibtex');
    expect(bib.text.match(/^@misc\{/gm)).toHaveLength(created);
    console.log(`seed dumps: ${files.length} files, ${entries} entries, ${unique} unique keys, imported ${created} new + ${merged} merged`);
  }, 120_000);
});
