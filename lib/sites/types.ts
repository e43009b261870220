import type { PaperEntry } from '../model/types';

/** An entry as an adapter returns it: the paper data plus the DOM element that represents the row. */
export interface FoundEntry extends PaperEntry {
  /** The entry's root element: it gets `data-shelfmark-entry`. */
  root: Element;
  /** The element holding the title: the badge goes right after it. */
  titleEl: Element;
}

export interface SiteAdapter {
  /** Equals the adapter's file name in lib/sites/. */
  id: string;
  label: string;
  /** Whether this adapter handles the page at `url`. */
  matches(url: URL): boolean;
  /**
   * Every paper entry on the page. Reads only `doc` (never the global document), returns []
   * rather than throwing, and skips rows without a title.
   */
  findEntries(doc: Document, url: URL): FoundEntry[];
  /**
   * Set on the generic fallback: its `matches` accepts any http(s) page, so adapterFor() skips
   * it unless the caller asks for fallbacks (the content script does, on sites the user enabled).
   */
  fallback?: true;
}
