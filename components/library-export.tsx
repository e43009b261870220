// The library's export slot: choosing a scope (and loading its choices) is apart from exporting it.
import { useEffect, useId, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { liveListsByName, tagNames } from '@/lib/storage/queries';
import type { ExportSelection } from '@/lib/export';
import { ExportMenu } from './export-menu';

export interface LibraryExportProps {
  db: ShelfmarkDB;
  /** The reading list being shown, if any: then the menu exports that list. */
  list?: { id: string; name: string };
}

/**
 * The export panel the library page mounts (its `ExchangePanels.Export` slot): for a reading
 * list, that list; otherwise a scope chooser (all papers, a reading list, a tag) and the menu.
 */
export function LibraryExport({ db, list }: LibraryExportProps): JSX.Element {
  const uid = useId();
  const [scope, setScope] = useState('all');
  const [choices, setChoices] = useState<{ lists: { id: string; name: string }[]; tags: string[] } | undefined>(undefined);
  useEffect(() => {
    if (list) return;
    let live = true;
    void (async () => {
      const lists = await liveListsByName(db);
      const tags = await tagNames(db);
      if (live) setChoices({ lists: lists.map((l) => ({ id: l.id, name: l.name })), tags });
    })();
    return () => {
      live = false;
    };
  }, [db, list]);
  if (list) return <ExportMenu db={db} selection={{ kind: 'list', listId: list.id }} label="Export this list" />;
  const selection: ExportSelection = scope.startsWith('list:')
    ? { kind: 'list', listId: scope.slice(5) }
    : scope.startsWith('tag:')
      ? { kind: 'tag', tag: scope.slice(4) }
      : { kind: 'all' };
  return (
    <div class="library-export">
      <label for={`${uid}-scope`}>Export</label>{' '}
      <select id={`${uid}-scope`} value={scope} onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value)}>
        <option value="all">All papers (or a full backup)</option>
        {choices?.lists.map((l) => (
          <option key={l.id} value={`list:${l.id}`}>
            Reading list: {l.name}
          </option>
        ))}
        {choices?.tags.map((t) => (
          <option key={t} value={`tag:${t}`}>
            Tag: {t}
          </option>
        ))}
      </select>
      <ExportMenu key={scope} db={db} selection={selection} label="Choose a format" initialFormat={scope === 'all' ? 'backup' : 'bibtex'} />
    </div>
  );
}
