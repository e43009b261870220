import type { ShelfmarkDB, SightingRow } from '@/lib/storage/db';
import type { EntryResult, TabEntry } from '@/lib/messaging/messages';
import type { IndexStore } from './index-store';
import type { TaughtId } from '@/lib/match/learn';

/**
 * What the background's handlers work on: the database, the match index, per-tab state and the
 * few browser calls they need, passed in so the handlers are unit-tested without a browser.
 */

/** The browser calls the handlers need; index.ts implements them, tests record them. */
export interface Platform {
  /** Pushes changed results to a tab's content script. */
  pushResults(tabId: number, results: EntryResult[]): void;
  /** Sets the toolbar badge of a tab to the number of its entries in the corpus. */
  setBadge(tabId: number, count: number): void;
  /** Asks a tab's content script for every entry it found (after a service worker restart). */
  fetchTabEntries(tabId: number): Promise<unknown>;
  /** Ids of open tabs (any of them may hold a content script). */
  listTabs(): Promise<number[]>;
  /** Requests a sightings flush soon; the flush itself is `flushSightings(ctx)`. */
  scheduleFlush(): void;
}

/** What the background knows of one tab: the entries its content script reported, with their results. */
export interface TabState {
  pageUrl: string;
  entries: Map<number, TabEntry>;
  /** Title keys already recorded as sightings for this page view. */
  sighted: Set<string>;
  /** Ids this page view taught, by paper: withdrawn when a later batch brings a rival. */
  taught?: Map<string, TaughtId[]>;
}

export interface Context {
  db: ShelfmarkDB;
  index: Pick<IndexStore, 'get' | 'peek' | 'upsert'>;
  platform: Platform;
  tabs: Map<number, TabState>;
  /** Sightings to write, and the page views whose entries may teach (or take back) ids at the flush. */
  pending: { sightings: SightingRow[]; learn: Set<TabState> };
  /** Timings of the last match batch (diagnostics for the annotation benchmark). */
  lastBatch?: {
    entries: number;
    parseMs: number;
    indexMs: number;
    matchMs: number;
    dataMs: number;
    totalMs: number;
    /** When the handler started, on the shared wall clock (timeOrigin + now), to line up with the page's marks. */
    startedAt: number;
  };
  lastMatch?: { indexMs: number; matchMs: number; dataMs: number };
  /** The refresh in progress (refreshes run one after another). */
  refreshing?: Promise<void>;
  /** Papers whose lastSeenAt the background is writing right now: its change listener ignores them. */
  quietPapers?: Set<string>;
}

export function createContext(db: ShelfmarkDB, index: Context['index'], platform: Platform): Context {
  return { db, index, platform, tabs: new Map(), pending: { sightings: [], learn: new Set() } };
}
