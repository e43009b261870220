import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { addTag, addToList, createListWithPapers, removeFromList, removeTag } from '@/lib/actions';
import { SearchBox } from '@/components/search-box';
import { VirtualList } from '@/components/virtual-list';
import { PaperRow } from '@/components/paper-row';
import { TagEditor } from '@/components/tag-editor';
import { ListPicker } from '@/components/list-picker';
import { usePaperFlags, usePaperIdsInList, usePaperIdsSeenOn, usePaperIdsWithTag, useSightingHosts, useTagsByPaper } from '@/lib/storage/live';
import type { CorpusState } from '@/lib/storage/corpus-store';
import { SEARCH_LIMIT, selectPapers, sourceOptions, SORT_LABELS, STATUS_LABELS, type Filters, type SortKey, type StatusFilter, type UserSets } from './filter';

export interface PapersViewProps {
  db: ShelfmarkDB;
  corpus: CorpusState;
  filters: Filters;
  onFilters: (f: Filters) => void;
  onOpen: (id: string) => void;
  allTags: readonly string[];
  lists: readonly { id: string; name: string }[];
}

const ROW = 52;

/** Search, filters, sort and the (virtualized) list of papers, with bulk tagging of a selection. */
export function PapersView({ db, corpus, filters, onFilters, onOpen, allTags, lists }: PapersViewProps): JSX.Element {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);

  const user: UserSets | undefined = usePaperFlags(db);
  const tagIds = usePaperIdsWithTag(db, filters.tag);
  const listIds = usePaperIdsInList(db, filters.list);
  const hostIds = usePaperIdsSeenOn(db, filters.source?.startsWith('host:') ? filters.source.slice(5) : undefined);
  const hosts = useSightingHosts(db);
  const paperTags = useTagsByPaper(db);

  const sources = useMemo(() => sourceOptions(corpus.papers.values(), hosts ?? []), [corpus.version, hosts]);

  // Time of the last search + filter + sort, shown beside the result count.
  const { shown, ms } = useMemo<{ shown: Paper[]; ms: number }>(() => {
    if (!user) return { shown: [], ms: 0 };
    const t0 = performance.now();
    const sets: UserSets = { ...user };
    if (tagIds) sets.withTag = tagIds;
    if (listIds) sets.inList = listIds;
    if (hostIds) sets.seenOn = hostIds;
    const list = selectPapers(corpus.papers, corpus.index, filters, sets);
    return { shown: list, ms: performance.now() - t0 };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [corpus.version, filters, user, tagIds, listIds, hostIds]);

  // While the corpus is still loading, search hits not read yet are fetched, so results are whole.
  useEffect(() => {
    if (corpus.ensure && corpus.index && filters.q.trim()) corpus.ensure(corpus.index.search(filters.q, { limit: SEARCH_LIMIT }).map((h) => h.id));
  }, [corpus.ensure, corpus.index, filters.q]);

  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  const selIds = [...selected].filter((id) => corpus.papers.has(id));
  const selTags = selIds.map((id) => new Set(paperTags?.get(id) ?? []));
  const commonTags = selTags.length ? [...selTags[0]!].filter((t) => selTags.every((s) => s.has(t))) : [];
  const someTags = [...new Set(selTags.flatMap((s) => [...s]))].filter((t) => !commonTags.includes(t));

  return (
    <div class="sm-papers-view">
      <div class="sm-filters" role="group" aria-label="Search and filters">
        <SearchBox
          value={filters.q}
          label="Search titles and abstracts"
          autoFocus
          onInput={(q) => set({ q, sort: q && filters.sort === 'added' && !filters.q ? 'relevance' : filters.sort })}
          onArrowDown={() => listRef.current?.querySelector<HTMLElement>('[role=listbox]')?.focus()}
          onEnter={() => {
            const p = shown[0];
            if (p) onOpen(p.id);
          }}
          resultSummary={`${shown.length.toLocaleString()}${filters.q && shown.length >= SEARCH_LIMIT ? '+' : ''} paper${shown.length === 1 ? '' : 's'}${filters.q ? ` · ${ms.toFixed(1)} ms` : ''}${
            corpus.loading
              ? ' · loading the corpus…'
              : corpus.indexing
                ? ` · indexing ${Math.round((100 * corpus.indexing.done) / Math.max(1, corpus.indexing.total))}% (titles only until then)`
                : ''
          }`}
        />
        <div class="sm-filter-row">
          <label for="sm-f-tag">Tag</label>
          <select id="sm-f-tag" value={filters.tag ?? ''} onChange={(e) => set({ tag: e.currentTarget.value || undefined })}>
              <option value="">Any</option>
              {allTags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
          </select>
          <label for="sm-f-list">List</label>
          <select id="sm-f-list" value={filters.list ?? ''} onChange={(e) => set({ list: e.currentTarget.value || undefined })}>
              <option value="">Any</option>
              {lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
          <label for="sm-f-source">Source</label>
          <select id="sm-f-source" value={filters.source ?? ''} onChange={(e) => set({ source: e.currentTarget.value || undefined })}>
              <option value="">Any</option>
              {sources.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
          </select>
          <label for="sm-f-status">Status</label>
          <select id="sm-f-status" value={filters.status} onChange={(e) => set({ status: e.currentTarget.value as StatusFilter })}>
              {Object.entries(STATUS_LABELS).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
          </select>
          <label for="sm-f-sort">Sort by</label>
          <select id="sm-f-sort" value={filters.sort} onChange={(e) => set({ sort: e.currentTarget.value as SortKey })}>
              {Object.entries(SORT_LABELS).map(([v, l]) => (
                <option key={v} value={v} disabled={v === 'relevance' && !filters.q}>
                  {l}
                </option>
              ))}
          </select>
        </div>
      </div>
      {selIds.length > 0 && (
        <div class="sm-selection" role="region" aria-label="Selected papers">
          <div class="sm-toolbar">
            <strong>{selIds.length} selected</strong>
            <button type="button" onClick={() => setSelected(new Set(shown.map((p) => p.id)))}>
              Select all {shown.length.toLocaleString()}
            </button>
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
          <TagEditor
            label={`Tags of ${selIds.length} papers`}
            tags={commonTags}
            partial={someTags}
            allTags={allTags}
            onAdd={(t) => addTag(db, selIds, t)}
            onRemove={(t) => removeTag(db, selIds, t)}
          />
          <ListPicker
            label={`Reading lists of ${selIds.length} papers`}
            lists={lists}
            inLists={[]}
            onAdd={(l) => addToList(db, l, selIds)}
            onRemove={(l) => removeFromList(db, l, selIds)}
            onCreate={(name) => createListWithPapers(db, name, selIds)}
          />
        </div>
      )}
      <div ref={listRef} class="sm-list-wrap">
        {!user ? (
          <p role="status">Loading…</p>
        ) : shown.length === 0 ? (
          <p class="sm-muted">No papers match.</p>
        ) : (
          <VirtualList
            items={shown}
            rowHeight={ROW}
            label="Papers"
            itemKey={(p) => p.id}
            activeIndex={active}
            onActiveChange={setActive}
            onActivate={(p) => onOpen(p.id)}
            onToggle={(p) => {
              const next = new Set(selected);
              if (next.has(p.id)) next.delete(p.id);
              else next.add(p.id);
              setSelected(next);
            }}
            renderRow={(p) => (
              <PaperRow
                paper={p}
                tags={(paperTags?.get(p.id) ?? []).toSorted()}
                selected={selected.has(p.id)}
                onSelect={(on) => {
                  const next = new Set(selected);
                  if (on) next.add(p.id);
                  else next.delete(p.id);
                  setSelected(next);
                }}
              />
            )}
          />
        )}
      </div>
      <p class="sm-muted sm-keys">↑/↓ move, Enter opens, Space selects; Esc in a paper goes back.</p>
    </div>
  );
}
