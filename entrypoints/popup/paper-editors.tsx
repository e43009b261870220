import type { JSX } from 'preact';
import type { TabEntry } from '@/lib/messaging/messages';
import { TagEditor } from '@/components/tag-editor';
import { ListPicker } from '@/components/list-picker';

export interface PaperEditorsProps {
  /** The entries edited together: one paper or the selection. */
  entries: readonly TabEntry[];
  label: string;
  tagsOf: (paperId: string) => readonly string[];
  listsOf: (paperId: string) => readonly string[];
  allTags: readonly string[];
  lists: readonly { id: string; name: string }[];
  /** Tagging or listing a new entry adds it to the corpus first; these get the entries' paper ids. */
  onAddTag: (tag: string) => unknown;
  onRemoveTag: (tag: string, paperIds: string[]) => unknown;
  onAddToList: (listId: string) => unknown;
  onRemoveFromList: (listId: string, paperIds: string[]) => unknown;
  onCreateList: (name: string) => unknown;
}

/**
 * The tag and list editors for a set of entries. A tag or list every paper has is shown as set;
 * one only some have, as partial.
 */
export function PaperEditors(p: PaperEditorsProps): JSX.Element {
  const ids = p.entries.map((e) => (e.result.status === 'match' ? e.result.paperId : undefined));
  const known = ids.filter((x): x is string => !!x);
  const everyone = known.length === ids.length && known.length > 0;
  const tagSets = known.map((id) => new Set(p.tagsOf(id)));
  const common = everyone ? [...(tagSets[0] ?? [])].filter((t) => tagSets.every((s) => s.has(t))) : [];
  const some = [...new Set(tagSets.flatMap((s) => [...s]))].filter((t) => !common.includes(t));
  const listSets = known.map((id) => new Set(p.listsOf(id)));
  const inAll = everyone ? [...(listSets[0] ?? [])].filter((l) => listSets.every((s) => s.has(l))) : [];
  const inSome = [...new Set(listSets.flatMap((s) => [...s]))].filter((l) => !inAll.includes(l));
  return (
    <div class="sm-editors">
      <TagEditor
        label={p.label === 'this paper' ? 'Tags' : `Tags of ${p.label}`}
        tags={common}
        partial={some}
        allTags={p.allTags}
        onAdd={p.onAddTag}
        onRemove={(tag) => p.onRemoveTag(tag, known)}
      />
      <ListPicker
        label={p.label === 'this paper' ? 'Reading lists' : `Reading lists of ${p.label}`}
        lists={p.lists}
        inLists={inAll}
        partialLists={inSome}
        onAdd={p.onAddToList}
        onRemove={(listId) => p.onRemoveFromList(listId, known)}
        onCreate={p.onCreateList}
      />
      {p.entries.some((e) => e.result.status === 'maybe') && <p class="sm-muted">Confirm a “maybe” before tagging it.</p>}
    </div>
  );
}
