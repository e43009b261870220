import type { EntryResult, WireEntry } from '@/lib/messaging/messages';
import { callBackground, type Send } from '@/lib/messaging/transport';
import type { MenuAction } from '@/components/badge-menu';

export interface MenuTarget {
  entry: WireEntry;
  result?: EntryResult;
  pageUrl: string;
  send: Send;
}

/** The paper an action applies to; a `none` entry is added to the corpus first. */
async function paperOf(t: MenuTarget): Promise<string> {
  if (t.result?.status === 'match' && t.result.paperId) return t.result.paperId;
  const r = await callBackground({ type: 'add-paper', entry: t.entry, pageUrl: t.pageUrl }, t.send);
  return r.paperId;
}

/** Carries out one choice of a badge's menu through the background; a refusal throws. */
export async function performMenuAction(a: MenuAction, t: MenuTarget): Promise<void> {
  const call: typeof callBackground = (msg) => callBackground(msg, t.send);
  switch (a.kind) {
    case 'confirm':
      await call({ type: 'confirm-match', entry: t.entry, paperId: a.paperId, pageUrl: t.pageUrl });
      break;
    case 'reject':
      await call({ type: 'reject-match', entry: t.entry, paperId: a.paperId, pageUrl: t.pageUrl });
      break;
    case 'add-paper':
      await call({ type: 'add-paper', entry: t.entry, pageUrl: t.pageUrl });
      break;
    case 'add-tag':
      await call({ type: 'add-tag', paperIds: [await paperOf(t)], tag: a.tag });
      break;
    case 'remove-tag':
      await call({ type: 'remove-tag', paperIds: [await paperOf(t)], tag: a.tag });
      break;
    case 'add-to-list':
      await call({ type: 'add-to-list', listId: a.listId, paperIds: [await paperOf(t)] });
      break;
    case 'remove-from-list':
      await call({ type: 'remove-from-list', listId: a.listId, paperIds: [await paperOf(t)] });
      break;
    case 'new-list': {
      const paperId = await paperOf(t);
      const { listId } = await call({ type: 'create-list', name: a.name });
      await call({ type: 'add-to-list', listId, paperIds: [paperId] });
      break;
    }
  }
}
