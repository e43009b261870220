import type { ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import type { ExportItem, ExportSelection, ExportSet } from './types';

/**
 * Gathers what an export needs, in one read transaction so the papers, tags and list order
 * are one consistent snapshot. Papers merged into another one are followed to their survivor
 * (a list may still point at a merged-away record) and listed once.
 */
export async function selectForExport(db: ShelfmarkDB, selection: ExportSelection): Promise<ExportSet> {
  return db.transaction('r', [db.papers, db.paperTags, db.lists, db.listItems, db.notes], async () => {
    let title: string;
    let papers: Paper[];
    const listInfo = new Map<string, { name: string; position: number; read: boolean }>();
    switch (selection.kind) {
      case 'list': {
        const list = await db.lists.get(selection.listId);
        if (!list) throw new Error(`No reading list with id ${selection.listId}`);
        title = list.name;
        const rows = await db.listItems.where('[listId+position]').between([list.id, -Infinity], [list.id, Infinity]).toArray();
        rows.sort((a, b) => a.position - b.position);
        const found = await db.papers.bulkGet(rows.map((r) => r.paperId));
        papers = [];
        rows.forEach((r, i) => {
          const p = found[i];
          if (!p) return;
          papers.push(p);
          listInfo.set(p.id, { name: list.name, position: listInfo.size + 1, read: r.read });
        });
        break;
      }
      case 'tag': {
        title = selection.tag;
        const rows = await db.paperTags.where('tag').equals(selection.tag).toArray();
        papers = (await db.papers.bulkGet(rows.map((r) => r.paperId))).filter((p): p is Paper => !!p);
        papers.sort(byTitle);
        break;
      }
      case 'ids': {
        title = 'Selection';
        papers = (await db.papers.bulkGet(selection.ids)).filter((p): p is Paper => !!p);
        break;
      }
      case 'all': {
        title = 'All papers';
        papers = (await db.papers.toArray()).filter((p) => !p.mergedInto);
        papers.sort(byTitle);
        break;
      }
    }
    papers = await resolveMerged(db, papers, listInfo);
    const ids = papers.map((p) => p.id);
    const tagRows = await db.paperTags.where('paperId').anyOf(ids).toArray();
    const tags = new Map<string, string[]>();
    for (const r of tagRows) {
      const t = tags.get(r.paperId);
      if (t) t.push(r.tag);
      else tags.set(r.paperId, [r.tag]);
    }
    const notes = await db.notes.bulkGet(ids);
    const items: ExportItem[] = papers.map((paper, i) => {
      const item: ExportItem = { paper, tags: (tags.get(paper.id) ?? []).toSorted() };
      const note = notes[i]?.text;
      if (note) item.note = note;
      const li = listInfo.get(paper.id);
      if (li) item.list = li;
      return item;
    });
    return { title, selection, items };
  });
}

function byTitle(a: Paper, b: Paper): number {
  return a.title.localeCompare(b.title);
}

async function resolveMerged(
  db: ShelfmarkDB,
  papers: Paper[],
  listInfo: Map<string, { name: string; position: number; read: boolean }>,
): Promise<Paper[]> {
  const out: Paper[] = [];
  const seen = new Set<string>();
  for (let p of papers) {
    const origId = p.id;
    // Follow merge chains, guarding against a cycle in corrupt data.
    for (let hops = 0; p.mergedInto && hops < 16; hops++) {
      const next = await db.papers.get(p.mergedInto);
      if (!next) break;
      p = next;
    }
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    if (origId !== p.id && listInfo.has(origId) && !listInfo.has(p.id)) listInfo.set(p.id, listInfo.get(origId)!);
    out.push(p);
  }
  return out;
}
