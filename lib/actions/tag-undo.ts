import type { PaperTagRow, ShelfmarkDB, TagRow } from '../storage/db';
import { deleteTag } from './index';

/** What deleting a tag removed: its registry row and every paper's use of it. */
export interface DeletedTag {
  tag: TagRow;
  rows: PaperTagRow[];
}

/** Deletes `tag` and returns what it removed, so `restoreTag` can put it back exactly. */
export async function deleteTagForUndo(db: ShelfmarkDB, tag: string): Promise<DeletedTag> {
  const row = (await db.tags.get(tag)) ?? { name: tag, createdAt: Date.now() };
  const rows = await db.paperTags.where('tag').equals(tag).toArray();
  await deleteTag(db, tag);
  return { tag: row, rows };
}

/** Undo of `deleteTagForUndo`, in one transaction. */
export async function restoreTag(db: ShelfmarkDB, deleted: DeletedTag): Promise<void> {
  await db.transaction('rw', db.tags, db.paperTags, async () => {
    await db.tags.put(deleted.tag);
    await db.paperTags.bulkPut(deleted.rows);
  });
}
