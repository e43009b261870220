import { Hlc } from '../../lib/sync/hlc';
import { capture, emptyView, listRef, project, restrictView, type Doc, type SyncView } from '../../lib/sync/model';
import { fnv1a64Hex } from '../../lib/corpus/corpus';
import { rng } from './evalset';

/**
 * A synthetic reading life, built the way a user builds one: sessions spread over a year, each
 * tagging a few papers, filing them in lists, reordering, marking read, writing the odd note.
 * Per paper: 1–3 of 30 tags (about 2), one of 20 lists; 30% read; 5% with a 200-character note;
 * 10% added from listings (title + arXiv id); 2% with a rejected match. Every session also
 * revisits earlier papers (`churn` of them): marks one read, moves one in its list, swaps a tag —
 * edits that overwrite earlier ones, which a state encoding forgets and a history keeps.
 */
/** One session's edits, for replaying the same history into other encodings. */
export interface Session {
  links: Array<[string, boolean]>;
  items: Array<[string, { pos: number; read: boolean } | null]>;
  notes: Array<[string, string]>;
  user: Array<[string, { title: string; arxivId?: string }]>;
}

export interface Life {
  view: SyncView;
  doc: Doc;
  sessions: number;
  history: Session[];
}

export function paperId(i: number): string {
  return 'p' + fnv1a64Hex(`synthetic paper ${i}`);
}

export function buildLife(papers: number, seed = 7, churn = 3): Life {
  const r = rng(seed);
  const tags = Array.from({ length: 30 }, (_, i) => ['reinforcement learning', 'diffusion', 'LLM agents', 'theory', 'to cite', 'vision'][i % 6] + (i >= 6 ? ` ${i}` : ''));
  const lists = Array.from({ length: 20 }, (_, i) => ({ ref: listRef('l' + fnv1a64Hex(`list ${i}`)), name: `Reading list ${i + 1}` }));
  const view = emptyView();
  for (const l of lists) view.lists.set(l.ref, { name: l.name, deleted: false });
  const doc: Doc = new Map();
  const start = 1_767_225_600_000 + 86_400_000;
  let wall = start;
  const clock = new Hlc('dev0a1', 0, () => wall);
  const listLen = new Map<string, number>();
  const perSession = 5;
  const sessions = Math.ceil(papers / perSession);
  // The first capture carries the list names.
  for (const t of tags) view.tags.add(t);
  const history: Session[] = [];
  const itemKeys: string[] = [];
  for (let s = 0; s < sessions; s++) {
    const h: Session = { links: [], items: [], notes: [], user: [] };
    history.push(h);
    for (let k = 0; k < perSession; k++) {
      const i = s * perSession + k;
      if (i >= papers) break;
      const id = paperId(i);
      const n = 1 + Math.floor(r() * 3);
      for (let j = 0; j < n; j++) {
        const link = `${id}\t${tags[Math.floor(r() * tags.length)]}`;
        view.links.add(link);
        h.links.push([link, true]);
      }
      const l = lists[Math.floor(r() * lists.length)];
      const pos = listLen.get(l.ref) ?? 0;
      listLen.set(l.ref, pos + 1);
      const item = { pos, read: r() < 0.3 };
      view.items.set(`${l.ref}\t${id}`, item);
      itemKeys.push(`${l.ref}\t${id}`);
      h.items.push([`${l.ref}\t${id}`, item]);
      if (r() < 0.05) {
        const note = 'A note about this paper: the method section is clear, the ablations less so; compare with the earlier baseline and check the appendix for the proofs. '.slice(0, 200);
        view.notes.set(id, note);
        h.notes.push([id, note]);
      }
      if (r() < 0.1) {
        const u = { title: `A Synthetic Paper Title Number ${i} About Learning Representations`, arxivId: `25${String(1 + (i % 12)).padStart(2, '0')}.${String(10000 + i).slice(-5)}` };
        view.userPapers.set(id, u);
        h.user.push([id, u]);
      }
      if (r() < 0.02) view.rejects.add(`${id}\tsome other title of a similar paper ${i}`);
    }
    for (let c = 0; c < churn && itemKeys.length > perSession; c++) {
      // Revisit an earlier paper: mark read, move it to the front, replace one of its tags.
      const key = itemKeys[Math.floor(r() * itemKeys.length)];
      const it = view.items.get(key)!;
      const next = { pos: c === 1 ? -s : it.pos, read: c === 0 ? true : it.read };
      view.items.set(key, next);
      h.items.push([key, next]);
      if (c === 2) {
        const id = key.split('\t')[1];
        const old = [...view.links].find((x) => x.startsWith(`${id}\t`));
        if (old) {
          view.links.delete(old);
          h.links.push([old, false]);
        }
        const link = `${id}\t${tags[Math.floor(r() * tags.length)]}`;
        view.links.add(link);
        h.links.push([link, true]);
      }
    }
    wall += Math.floor((365 * 86_400_000) / sessions) * (0.5 + r());
    const proj = project(doc);
    capture(doc, restrictView(proj, () => true), view, clock.now());
  }
  return { view, doc, sessions, history };
}
