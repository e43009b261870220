import { Dexie } from 'dexie';
import type { Ok, RequestOf, TabEntry } from '@/lib/messaging/messages';
import { dismiss, undismiss } from '@/lib/triage/dismiss';
import { getTriage, readSettings } from '@/lib/triage/background';
import type { Context } from './context';
import type { Sender } from '@/lib/messaging/sender';
import { changedKeys } from '../../lib/storage/changes';

/**
 * Triage in the background: the glue between the message handlers (handlers.ts) and lib/triage.
 * A failure here never fails a match: the entries are marked without triage fields.
 */

/** Adds seen / dismissed / suggested tags to a page view's results, in place. */
export async function annotateTriage(
  ctx: Context,
  view: { pageUrl: string },
  items: readonly TabEntry[],
  record: boolean,
): Promise<void> {
  try {
    await getTriage(ctx.db).annotate(view, view.pageUrl, items, { record });
  } catch (e) {
    console.warn('Shelfmark: triage skipped', e);
  }
}

type TriageType = 'dismiss' | 'undismiss' | 'triage-settings';

export const triageHandlers: { [T in TriageType]: (ctx: Context, msg: RequestOf<T>, sender: Sender) => Promise<Ok<T>> } = {
  async dismiss(ctx, msg) {
    const row = await dismiss(ctx.db, {
      title: msg.entry.title,
      pageUrl: msg.pageUrl,
      ...(msg.entry.url ? { url: msg.entry.url } : {}),
      ...(msg.paperId ? { paperId: msg.paperId } : {}),
    });
    return { ok: true, key: row.key };
  },

  async undismiss(ctx, msg) {
    return { ok: true, undone: await undismiss(ctx.db, msg.key) };
  },

  async 'triage-settings'(ctx) {
    return { ok: true, ...(await readSettings(ctx.db)) };
  },
};

/**
 * Keeps triage current: a tag write retrains the suggestion model (debounced); a dismissal or
 * a new model refreshes the open tabs' badges.
 */
export function installTriage(ctx: Context, refresh: () => void): void {
  const triage = getTriage(ctx.db);
  triage.onChange = refresh;
  Dexie.on('storagemutated', (parts: Record<string, unknown>) => {
    if (changedKeys(parts, ctx.db.name, 'paperTags') !== null) triage.scheduleTrain();
    if (changedKeys(parts, ctx.db.name, 'dismissals') !== null) refresh();
  });
  // Load (or train) the model while the first page loads.
  void triage.ensureModel().catch((e) => console.warn('Shelfmark: tag model not loaded', e));
}
