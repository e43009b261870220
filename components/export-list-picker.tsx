import { useId, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { useLiveQuery } from '../lib/storage/live';
import { liveLists } from '../lib/storage/queries';
import { ExportMenu } from './export-menu';

export interface ExportListPickerProps {
  db: ShelfmarkDB;
}

/**
 * Reading-list export for small surfaces (the popup): the current list — the one changed most
 * recently — is chosen first, any other list can be picked. Renders nothing when there are no lists.
 */
export function ExportListPicker({ db }: ExportListPickerProps): JSX.Element | null {
  const uid = useId();
  const lists = useLiveQuery(async () => (await liveLists(db)).toSorted((a, b) => b.updatedAt - a.updatedAt), [db]);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  if (!lists?.length) return null;
  const current = lists.find((l) => l.id === chosen) ?? lists[0]!;
  return (
    <section class="export-list-picker" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>Export a reading list</h2>
      <label for={`${uid}-list`}>List</label>{' '}
      <select id={`${uid}-list`} value={current.id} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
        {lists.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <ExportMenu key={current.id} db={db} selection={{ kind: 'list', listId: current.id }} label={`Export “${current.name}”`} />
    </section>
  );
}
