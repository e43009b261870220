// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { titleKey } from '@/lib/model/normalize';
import { ActionError, addTag, addToList, createList, removeFromList, removeTag, reorderList, setNote, setRead } from '@/lib/actions';

/**
 * Three writers — three Dexie connections to one database, as two tabs' badges (through the
 * background), the popup and the library page are — each run 200 mixed operations on the same
 * six papers, one shared reading list and shared tag names, all interleaved. Every operation is
 * logged when its transaction has committed; replaying the log in that order on a plain model
 * gives the expected final state, which must equal the database exactly — and every operation
 * must have succeeded or failed exactly as the model says. A write that read a stale copy
 * (last-writer-wins) shows up as a missing tag, list item, read flag or note.
 */

const PAPERS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const TAGS = ['rl', 'diffusion', 'to-cite', 'survey'];
const WRITERS = 3;
const OPS = 200;

type Op =
  | { kind: 'tag' | 'untag'; paper: string; tag: string }
  | { kind: 'add' | 'remove'; paper: string }
  | { kind: 'note'; paper: string; text: string }
  | { kind: 'reorder'; order: string[] }
  | { kind: 'read'; paper: string; read: boolean };
interface Logged {
  writer: number;
  op: Op;
  ok: boolean;
}

function paper(id: string): Paper {
  const title = `Paper ${id} on offline reinforcement learning`;
  return { id, title, key: titleKey(title), aliasKeys: [], provenance: [], origin: 'seed', addedAt: 1, updatedAt: 1 };
}

function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * n);
  };
}

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

async function listOrder(db: ShelfmarkDB, listId: string) {
  return db.listItems.where('[listId+position]').between([listId, -Infinity], [listId, Infinity]).toArray();
}

async function runStress(seed: number) {
  const name = `stress-${seed}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  const setup = new ShelfmarkDB(name);
  await setup.papers.bulkAdd(PAPERS.map(paper));
  const listId = await createList(setup, 'Shared reading list');
  // Each writer its own connection (separate Dexie instances on the same IndexedDB database).
  const conns = Array.from({ length: WRITERS }, () => new ShelfmarkDB(name));
  const log: Logged[] = [];

  async function perform(db: ShelfmarkDB, op: Op): Promise<void> {
    switch (op.kind) {
      case 'tag':
        await addTag(db, [op.paper], op.tag);
        return;
      case 'untag':
        await removeTag(db, [op.paper], op.tag);
        return;
      case 'add':
        await addToList(db, listId, [op.paper]);
        return;
      case 'remove':
        await removeFromList(db, listId, [op.paper]);
        return;
      case 'note':
        await setNote(db, op.paper, op.text);
        return;
      case 'reorder':
        await reorderList(db, listId, op.order);
        return;
      case 'read':
        await setRead(db, listId, op.paper, op.read);
    }
  }

  await Promise.all(
    conns.map(async (db, w) => {
      const r = rng(seed * 31 + w);
      for (let i = 0; i < OPS; i++) {
        const p = PAPERS[r(PAPERS.length)]!;
        const k = r(8);
        let op: Op;
        if (k === 0 || k === 1) op = { kind: 'tag', paper: p, tag: TAGS[r(TAGS.length)]! };
        else if (k === 2) op = { kind: 'untag', paper: p, tag: TAGS[r(TAGS.length)]! };
        else if (k === 3) op = { kind: 'add', paper: p };
        else if (k === 4) op = { kind: 'remove', paper: p };
        else if (k === 5) op = { kind: 'note', paper: p, text: r(5) === 0 ? '' : `w${w} op${i}: ${'✓'.repeat(r(4))}` };
        else if (k === 6) {
          // A stale view: read the order in one transaction, reorder from it in another.
          const seen = (await listOrder(db, listId)).map((item) => item.paperId);
          for (let j = seen.length - 1; j > 0; j--) {
            const x = r(j + 1);
            [seen[j], seen[x]] = [seen[x]!, seen[j]!];
          }
          op = { kind: 'reorder', order: seen };
        } else op = { kind: 'read', paper: p, read: r(2) === 0 };
        let ok = true;
        try {
          await perform(db, op);
        } catch (e) {
          if (!(e instanceof ActionError)) throw e;
          ok = false;
        }
        // Logged right after the commit: the log is the commit order of these transactions.
        log.push({ writer: w, op, ok });
        // Yield now and then so the writers interleave at different points.
        if (r(3) === 0) await new Promise((res) => setTimeout(res, 0));
      }
    }),
  );

  // ---- the model: replay in commit order ----
  const tags = new Set<string>();
  const tagNames = new Set<string>();
  let order: string[] = [];
  const read = new Map<string, boolean>();
  const notes = new Map<string, string>();
  let mismatched = 0;
  for (const { op, ok } of log) {
    let expectOk = true;
    switch (op.kind) {
      case 'tag':
        tags.add(`${op.paper}|${op.tag}`);
        tagNames.add(op.tag);
        break;
      case 'untag':
        tags.delete(`${op.paper}|${op.tag}`);
        break;
      case 'add':
        if (!order.includes(op.paper)) {
          order.push(op.paper);
          read.set(op.paper, false);
        }
        break;
      case 'remove':
        order = order.filter((x) => x !== op.paper);
        read.delete(op.paper);
        break;
      case 'note':
        if (op.text.trim()) notes.set(op.paper, op.text);
        else notes.delete(op.paper);
        break;
      case 'reorder': {
        const named = [...new Set(op.order)].filter((x) => order.includes(x));
        order = [...named, ...order.filter((x) => !named.includes(x))];
        break;
      }
      case 'read':
        if (order.includes(op.paper)) read.set(op.paper, op.read);
        else expectOk = false;
    }
    if (ok !== expectOk) mismatched++;
  }

  const db = conns[0]!;
  const items = await listOrder(db, listId);
  const actual = {
    tags: (await db.paperTags.toArray()).map((r) => `${r.paperId}|${r.tag}`).toSorted(),
    tagNames: (await db.tags.toCollection().primaryKeys()).map(String).toSorted(),
    order: items.map((item) => item.paperId),
    read: Object.fromEntries(items.map((item) => [item.paperId, item.read])),
    positionsUnique: new Set(items.map((item) => item.position)).size === items.length,
    notes: Object.fromEntries((await db.notes.toArray()).map((n) => [n.paperId, n.text])),
  };
  const expected = {
    tags: [...tags].toSorted(),
    tagNames: [...tagNames].toSorted(),
    order,
    read: Object.fromEntries(order.map((p) => [p, read.get(p)!])),
    positionsUnique: true,
    notes: Object.fromEntries(notes),
  };
  const records = actual.tags.length + actual.tagNames.length + actual.order.length + Object.keys(actual.notes).length;
  for (const c of [setup, ...conns]) c.close();
  return { log, actual, expected, mismatched, records };
}

describe('concurrent edits from three connections', () => {
  it.each([1, 2, 3])('3 writers × 200 mixed operations (seed %i): every effect present, every outcome as the commit-order replay says', async (seed) => {
    const { log, actual, expected, mismatched, records } = await runStress(seed);
    expect(log).toHaveLength(WRITERS * OPS);
    const kinds = new Set(log.map((l) => l.op.kind));
    expect([...kinds].toSorted()).toEqual(['add', 'note', 'read', 'remove', 'reorder', 'tag', 'untag']);
    expect(mismatched).toBe(0);
    expect(actual).toEqual(expected);
    // The run did contend: writers interleaved (not one writer after another).
    const switches = log.filter((l, i) => i > 0 && l.writer !== log[i - 1]!.writer).length;
    expect(switches).toBeGreaterThan(100);
    console.log(`stress seed ${seed}: ${log.length} operations, ${switches} writer switches, ${records} final records checked, 0 lost`);
  }, 60_000);
});

describe('a note edited in two windows at once', () => {
  it('an edit begun on an older text does not overwrite the newer one: both are kept', async () => {
    const name = `note-${Math.random().toString(36).slice(2)}`;
    names.push(name);
    const a = new ShelfmarkDB(name);
    const b = new ShelfmarkDB(name);
    await a.papers.add(paper('p1'));
    await setNote(a, 'p1', 'Baseline for §2.');
    // Window A opens the note ("Baseline for §2."); window B saves an addition first.
    expect(await setNote(b, 'p1', 'Baseline for §2. Also compare with CQL.', { basedOn: 'Baseline for §2.' })).toEqual({ merged: false });
    // A saves its edit of the old text: B's addition survives, A's text is appended.
    expect(await setNote(a, 'p1', 'Baseline for §2. Check the seeds.', { basedOn: 'Baseline for §2.' })).toEqual({ merged: true });
    const text = (await a.notes.get('p1'))!.text;
    expect(text).toContain('Also compare with CQL.');
    expect(text).toContain('Check the seeds.');
    // A clear based on a stale text does not delete B's newer note.
    expect(await setNote(a, 'p1', '', { basedOn: 'Baseline for §2.' })).toEqual({ merged: true });
    expect((await b.notes.get('p1'))!.text).toBe(text);
    // An edit based on the current text replaces it, as before.
    expect(await setNote(b, 'p1', 'Rewritten.', { basedOn: text })).toEqual({ merged: false });
    expect((await a.notes.get('p1'))!.text).toBe('Rewritten.');
    a.close();
    b.close();
  });
});
