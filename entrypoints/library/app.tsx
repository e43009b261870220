import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentType, JSX } from 'preact';
import type { ListRow, ShelfmarkDB } from '@/lib/storage/db';
import { useLiveLists, useTagNames } from '@/lib/storage/live';
import { DuplicatesPanel } from '@/components/duplicates-panel';
import { useCandidateSync } from '@/lib/dedupe/use-candidate-sync';
import { AutoBackups } from '@/components/auto-backups';
import { SyncPanel } from '@/components/sync-panel';
import { UnsavedBanner } from '@/components/unsaved-banner';
import { useCorpus } from '@/lib/storage/corpus-store';
import type { Filters } from './filter';
import { PapersView } from './papers-view';
import { PaperDetail } from './paper-detail';
import { ListsView } from './lists-view';
import { TagsView } from './tags-view';
import { DismissedView } from '@/components/dismissed-view';

type View = 'papers' | 'lists' | 'tags' | 'duplicates' | 'exchange' | 'sync' | 'dismissed';
const VIEWS: { id: View; label: string }[] = [
  { id: 'papers', label: 'Papers' },
  { id: 'lists', label: 'Reading lists' },
  { id: 'tags', label: 'Tags' },
  { id: 'duplicates', label: 'Duplicates' },
  { id: 'exchange', label: 'Export / import' },
  { id: 'sync', label: 'Sync' },
  { id: 'dismissed', label: 'Not interested' },
];

/** How long after the library opens its duplicate finder starts (first rows and search first). */
const CANDIDATE_SYNC_DELAY_MS = 3000;

/** Optional panels from the exchange work (export/import); mounted when they exist. */
export interface ExchangePanels {
  Export?: ComponentType<{ db: ShelfmarkDB; list?: ListRow }>;
  Import?: ComponentType<{ db: ShelfmarkDB }>;
}

interface Route {
  view: View;
  paper?: string;
  list?: string;
}

function parseHash(hash: string): Route {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const view = (p.get('view') as View | null) ?? (p.get('list') ? 'lists' : 'papers');
  const r: Route = { view: VIEWS.some((v) => v.id === view) ? view : 'papers' };
  const paper = p.get('paper');
  const list = p.get('list');
  if (paper) r.paper = paper;
  if (list) r.list = list;
  return r;
}

function toHash(r: Route): string {
  const p = new URLSearchParams();
  if (r.view !== 'papers' || r.list) p.set('view', r.view);
  if (r.list) p.set('list', r.list);
  if (r.paper) p.set('paper', r.paper);
  return `#${p.toString()}`;
}

/**
 * The library page: the whole corpus with search and filters, a paper's details, reading lists,
 * tags, duplicate review and export/import. State that deserves a link (view, paper, list) lives
 * in the URL hash, so the popup can open `library.html#paper=<id>` and Back works.
 */
export function LibraryApp({ db, exchange = {} }: { db: ShelfmarkDB; exchange?: ExchangePanels }): JSX.Element {
  const corpus = useCorpus(db);
  // Papers imported or added while the page is open are compared for duplicates as they arrive
  // (in the finder's worker), after the page's own first load; the duplicates view shows errors.
  useCandidateSync(db, CANDIDATE_SYNC_DELAY_MS);
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  const [filters, setFilters] = useState<Filters>({ q: '', status: 'all', sort: 'added' });
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const go = (r: Route) => {
    location.hash = toHash(r);
    setRoute(r);
  };

  const allTags = useTagNames(db) ?? [];
  const lists =
    useLiveLists(db) ?? [];
  const listRefs = lists.map((l) => ({ id: l.id, name: l.name }));

  const paper = route.paper ? corpus?.papers.get(route.paper) : undefined;
  const liveCount = useMemo(() => {
    let n = 0;
    if (corpus) for (const p of corpus.papers.values()) if (!p.mergedInto) n++;
    return n;
  }, [corpus]);
  const { Export, Import } = exchange;

  return (
    <div class="sm-library">
      <header class="sm-lib-head">
        <h1>Shelfmark library</h1>
        <nav aria-label="Library sections">
          <ul class="sm-tabs">
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a
                  href={toHash({ view: v.id })}
                  aria-current={route.view === v.id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ view: v.id });
                  }}
                >
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="sm-muted" role="status">
          {corpus ? `${liveCount.toLocaleString()} papers` : 'Loading the corpus…'}
        </span>
      </header>
      <main class="sm-lib-main">
        <UnsavedBanner />
        {!corpus && <p role="status">Loading the corpus…</p>}
        {corpus && route.paper && (
          paper ? (
            <PaperDetail
              db={db}
              paper={paper}
              allTags={allTags}
              lists={listRefs}
              onClose={() => go({ ...route, paper: undefined })}
              onOpen={(id) => go({ ...route, paper: id })}
            />
          ) : (
            <p role="alert">
              No paper with id {route.paper}.{' '}
              <button type="button" onClick={() => go({ ...route, paper: undefined })}>
                Back
              </button>
            </p>
          )
        )}
        {corpus && !route.paper && route.view === 'papers' && (
          <PapersView
            db={db}
            corpus={corpus}
            filters={filters}
            onFilters={setFilters}
            onOpen={(id) => go({ view: 'papers', paper: id })}
            allTags={allTags}
            lists={listRefs}
          />
        )}
        {corpus && !route.paper && route.view === 'lists' && (
          <ListsView
            db={db}
            paper={(id) => corpus.papers.get(id)}
            selectedId={route.list}
            onSelect={(id) => go({ view: 'lists', list: id })}
            onOpenPaper={(id) => go({ ...route, paper: id })}
            renderExport={Export ? (list) => <Export db={db} list={list} /> : undefined}
          />
        )}
        {!route.paper && route.view === 'tags' && (
          <TagsView
            db={db}
            onShowTag={(tag) => {
              setFilters({ ...filters, tag, q: '' });
              go({ view: 'papers' });
            }}
          />
        )}
        {!route.paper && route.view === 'duplicates' && <DuplicatesPanel db={db} />}
        {!route.paper && route.view === 'sync' && <SyncPanel db={db} />}
        {!route.paper && route.view === 'dismissed' && <DismissedView db={db} />}
        {!route.paper && route.view === 'exchange' && (
          <section aria-labelledby="sm-ex-h">
            <h2 id="sm-ex-h">Export and import</h2>
            {Export ? <Export db={db} /> : <p class="sm-muted">Export is not available in this build.</p>}
            {Import ? <Import db={db} /> : <p class="sm-muted">Import is not available in this build.</p>}
            <AutoBackups db={db} />
          </section>
        )}
      </main>
    </div>
  );
}
