import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { browser } from 'wxt/browser';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { sendToBackground, type RequestOf, type TabEntry } from '@/lib/messaging/messages';
import { callBackground } from '@/lib/messaging/transport';
import type { SearchIndex } from '@/lib/search';
import { openPopupSearch } from '@/lib/search/popup-search';
import type { PaperTitles } from '@/lib/search/persisted';
import { CorpusSearch } from '@/components/corpus-search';
import { useTagsAndListsOf } from '@/lib/storage/live';
import { ExportListPicker } from '@/components/export-list-picker';
import { SiteAccess } from '@/components/site-access';
import { TriageSummary } from '@/components/triage-summary';
import { UnsavedBanner } from '@/components/unsaved-banner';
import { EntryRow } from './entry-row';
import { PaperEditors } from './paper-editors';

export interface PopupProps {
  db: ShelfmarkDB;
  /** The tab whose entries are shown (`?tab=<id>` when opened as a page, else the active tab). */
  tabId: number | undefined;
  /** The keyboard shortcut that opens the popup, as the browser reports it. */
  shortcut?: string;
}

type Group = 'match' | 'maybe' | 'none';
const GROUPS: { status: Group; heading: string }[] = [
  { status: 'match', heading: 'In your corpus' },
  { status: 'maybe', heading: 'Maybe in your corpus' },
  { status: 'none', heading: 'New' },
];

function libraryUrl(hash = ''): string {
  return browser.runtime.getURL('/library.html') + hash;
}

/** Removing from papers already in the corpus; none is nothing to do. */
async function writeKnown(known: string[], msg: (ids: string[]) => RequestOf<'remove-tag' | 'remove-from-list'>): Promise<void> {
  if (known.length) await callBackground(msg(known));
}

/**
 * The popup: what is on this tab, grouped by status, with tags and lists; confirm or reject a
 * maybe; add new papers; tag one paper or a selection; add to reading lists; search the corpus.
 */
export function PopupApp({ db, tabId, shortcut }: PopupProps): JSX.Element {
  const [fetched, setEntries] = useState<TabEntry[] | undefined>(undefined);
  // What this popup just did (added, confirmed, rejected) wins over the background's answer,
  // which catches up a moment later (it re-matches after the database change).
  const [overrides, setOverrides] = useState<Map<number, { status: Group; paperId?: string }>>(new Map());
  const override = (eid: number, status: Group, paperId?: string) =>
    setOverrides((m) => new Map(m).set(eid, paperId ? { status, paperId } : { status }));
  const entries = useMemo(
    () =>
      fetched?.map((te) => {
        const o = overrides.get(te.entry.eid);
        if (!o) return te;
        const result = { ...te.result, status: o.status };
        if (o.paperId) result.paperId = o.paperId;
        return { ...te, result };
      }),
    [fetched, overrides],
  );
  const [pageUrl, setPageUrl] = useState<string>('');
  const [loadError, setLoadError] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | undefined>(undefined);
  const [message, setMessage] = useState('');
  const [corpus, setCorpus] = useState<{ index: SearchIndex; titles: PaperTitles } | undefined>(undefined);
  const rowRefs = useRef(new Map<number, HTMLButtonElement>());

  async function loadEntries(): Promise<void> {
    if (tabId === undefined) {
      setEntries([]);
      return;
    }
    const res = await sendToBackground({ type: 'tab-entries', tabId });
    if (!res.ok) {
      setLoadError(res.error);
      setEntries([]);
      return;
    }
    setEntries(res.entries);
    setPageUrl(res.pageUrl ?? '');
  }

  useEffect(() => {
    void loadEntries();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tabId]);

  // The corpus search index, loaded after the first paint from its persisted parts (built in
  // slices only when there are none), so the popup opens at once (the box says "Loading the index…" meanwhile).
  // Not after the tab's entries: the parts need no decoding that would delay their paint.
  useEffect(() => {
    const signal = { aborted: false };
    void openPopupSearch(db, signal).then((c) => {
      if (c && !signal.aborted) setCorpus(c);
    });
    return () => {
      signal.aborted = true;
    };
  }, [db]);

  // The tab's entries resolved to corpus papers (the background follows merges for us).
  const paperIds = useMemo(
    () => [...new Set((entries ?? []).flatMap((e) => (e.result.paperId && e.result.status === 'match' ? [e.result.paperId] : [])))],
    [entries],
  );
  const userData = useTagsAndListsOf(db, paperIds);

  const tagsOf = (id: string | undefined) => (id ? userData?.tags.get(id) ?? [] : []).toSorted();
  const listsOf = (id: string | undefined) => (id ? userData?.inLists.get(id) ?? [] : []);
  const listName = (id: string) => userData?.lists.find((l) => l.id === id)?.name ?? '';

  async function act(what: string, fn: () => Promise<unknown>): Promise<void> {
    setMessage('');
    try {
      await fn();
      if (what) setMessage(what);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Paper ids for entries, adding the new ones to the corpus first (tagging a new paper saves it). */
  async function ensurePapers(eids: number[]): Promise<string[]> {
    const out: string[] = [];
    for (const eid of eids) {
      const te = entries?.find((e) => e.entry.eid === eid);
      if (!te) continue;
      if (te.result.paperId && te.result.status === 'match') {
        out.push(te.result.paperId);
        continue;
      }
      if (te.result.status === 'maybe') continue; // a maybe must be confirmed first
      const res = await callBackground({ type: 'add-paper', entry: te.entry, pageUrl });
      out.push(res.paperId);
      override(eid, 'match', res.paperId);
    }
    return out;
  }

  /** Papers to tag or list: at least one, since the background takes no empty set of papers. */
  async function savedPapers(eids: number[]): Promise<string[]> {
    const ids = await ensurePapers(eids);
    if (!ids.length) throw new Error('Confirm a “maybe” before tagging it.');
    return ids;
  }

  async function entryCall(type: 'confirm-match' | 'reject-match', te: TabEntry, paperId: string): Promise<void> {
    await act(type === 'confirm-match' ? 'Confirmed.' : 'Marked as a different paper.', async () => {
      await callBackground({ type, entry: te.entry, paperId, pageUrl });
      if (type === 'confirm-match') override(te.entry.eid, 'match', paperId);
      else override(te.entry.eid, 'none');
    });
  }

  async function addPapers(tes: TabEntry[]): Promise<void> {
    await act(`Added ${tes.length} paper${tes.length === 1 ? '' : 's'} to your corpus.`, async () => {
      for (const te of tes) {
        const res = await callBackground({ type: 'add-paper', entry: te.entry, pageUrl });
        override(te.entry.eid, 'match', res.paperId);
      }
    });
  }

  const all = entries ?? [];
  const flat = GROUPS.flatMap((g) => all.filter((e) => e.result.status === g.status));

  function moveFocus(eid: number, delta: number): void {
    const i = flat.findIndex((e) => e.entry.eid === eid);
    const next = flat[Math.max(0, Math.min(flat.length - 1, i + delta))];
    if (next) rowRefs.current.get(next.entry.eid)?.focus();
  }

  function toggleSelect(eid: number): void {
    const next = new Set(selected);
    if (next.has(eid)) next.delete(eid);
    else next.add(eid);
    setSelected(next);
  }

  /** The tag and list editors for a set of entries (one paper or the selection). */
  function editors(props: { eids: number[]; label: string }): JSX.Element {
    const tes = props.eids.map((eid) => all.find((e) => e.entry.eid === eid)).filter((e): e is TabEntry => !!e);
    return (
      <PaperEditors
        entries={tes}
        label={props.label}
        tagsOf={tagsOf}
        listsOf={listsOf}
        allTags={userData?.allTags ?? []}
        lists={userData?.lists ?? []}
        onAddTag={(tag) =>
          act(`Tagged ${props.label} “${tag}”.`, async () => {
            await callBackground({ type: 'add-tag', paperIds: await savedPapers(props.eids), tag });
          })
        }
        onRemoveTag={(tag, known) => act(`Removed “${tag}”.`, () => writeKnown(known, (ids) => ({ type: 'remove-tag', paperIds: ids, tag })))}
        onAddToList={(listId) =>
          act('', async () => {
            await callBackground({ type: 'add-to-list', listId, paperIds: await savedPapers(props.eids) });
          })
        }
        onRemoveFromList={(listId, known) => act('', () => writeKnown(known, (ids) => ({ type: 'remove-from-list', listId, paperIds: ids })))}
        onCreateList={(name) =>
          act('', async () => {
            const ids = await ensurePapers(props.eids);
            await callBackground(ids.length ? { type: 'create-list', name, paperIds: ids } : { type: 'create-list', name });
          })
        }
      />
    );
  }

  const selectedEids = [...selected].filter((eid) => all.some((e) => e.entry.eid === eid));
  const newOnes = all.filter((e) => e.result.status === 'none');

  return (
    <main
      class="sm-popup"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && editing !== undefined) {
          e.preventDefault();
          const eid = editing;
          setEditing(undefined);
          rowRefs.current.get(eid)?.focus();
        }
      }}
    >
      <header class="sm-popup-head">
        <h1>Shelfmark</h1>
        <a href={libraryUrl()} target="_blank" rel="noreferrer" class="sm-link">
          Open library
        </a>
      </header>
      <UnsavedBanner />
      <CorpusSearch
        index={corpus?.index}
        autoFocus
        title={(id) => corpus?.titles.get(id)}
        onOpen={(id) => void browser.tabs.create({ url: libraryUrl(`#paper=${encodeURIComponent(id)}`) })}
      />
      <section aria-labelledby="sm-on-page">
        <h2 id="sm-on-page">On this page</h2>
        <SiteAccess tabId={tabId} />
        {entries === undefined && <p role="status">Reading this tab…</p>}
        {loadError && <p class="sm-error">{loadError}</p>}
        {entries && all.length === 0 && !loadError && (
          <p class="sm-muted">No papers recognized on this tab.</p>
        )}
        {all.length > 0 && <TriageSummary db={db} entries={all} />}
        {selectedEids.length > 0 && (
          <div class="sm-selection" role="region" aria-label="Selected papers">
            <div class="sm-toolbar">
              <strong>{selectedEids.length} selected</strong>
              <button type="button" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </div>
            {editors({ eids: selectedEids, label: `${selectedEids.length} papers` })}
          </div>
        )}
        {GROUPS.map((g) => {
          const rows = all.filter((e) => e.result.status === g.status);
          if (!rows.length) return null;
          const hid = `sm-g-${g.status}`;
          return (
            <section key={g.status} aria-labelledby={hid} class={`sm-group sm-group-${g.status}`}>
              <h3 id={hid}>
                {g.heading} <span class="sm-muted">({rows.length})</span>
              </h3>
              {g.status === 'none' && newOnes.length > 1 && (
                <button type="button" onClick={() => void addPapers(newOnes)}>
                  Add all {newOnes.length} to corpus
                </button>
              )}
              <ul class="sm-entries" aria-labelledby={hid}>
                {rows.map((te) => {
                  const eid = te.entry.eid;
                  const pid = te.result.status === 'match' ? te.result.paperId : undefined;
                  return (
                    <EntryRow
                      key={eid}
                      te={te}
                      selected={selected.has(eid)}
                      editing={editing === eid}
                      tags={tagsOf(pid)}
                      listNames={listsOf(pid).map(listName)}
                      rowRef={(el) => {
                        if (el) rowRefs.current.set(eid, el);
                        else rowRefs.current.delete(eid);
                      }}
                      onToggleSelect={() => toggleSelect(eid)}
                      onToggleEdit={() => setEditing(editing === eid ? undefined : eid)}
                      onMove={(delta) => moveFocus(eid, delta)}
                      onConfirm={(paperId) => void entryCall('confirm-match', te, paperId)}
                      onReject={(paperId) => void entryCall('reject-match', te, paperId)}
                      onAdd={() => void addPapers([te])}
                    >
                      {editing === eid && editors({ eids: [eid], label: 'this paper' })}
                    </EntryRow>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </section>
      <p class="sm-status" role="status" aria-live="polite">
        {message}
      </p>
      <ExportListPicker db={db} />
      <footer class="sm-muted">
        {shortcut ? `Open this popup with ${shortcut}. ` : 'Set a shortcut for this popup in the browser’s extension shortcuts. '}
        ↑/↓ move between papers, Enter opens tags and lists, Shift+Space selects, Esc closes.
      </footer>
    </main>
  );
}
