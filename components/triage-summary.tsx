import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { TabEntry } from '@/lib/messaging/messages';
import { DEFAULT_SETTINGS, readSettings, writeSettings, type TriageSettings } from '@/lib/triage/background';

export interface TriageGroup {
  tag: string;
  entries: TabEntry[];
}

/** The page's entries grouped by their first suggested tag; groups by size, largest first. */
export function groupBySuggestion(entries: readonly TabEntry[]): TriageGroup[] {
  const by = new Map<string, TabEntry[]>();
  for (const e of entries) {
    const tag = e.result.suggest?.[0];
    if (!tag || e.result.dismissed) continue;
    const list = by.get(tag);
    if (list) list.push(e);
    else by.set(tag, [e]);
  }
  return [...by].map(([tag, list]) => ({ tag, entries: list })).toSorted((a, b) => b.entries.length - a.entries.length || a.tag.localeCompare(b.tag));
}

/**
 * The popup's triage block: how many of the page's entries were seen before or dismissed, the
 * entries grouped by suggested tag, and the triage settings (dim or hide dismissed entries,
 * keyboard triage on or off).
 */
export function TriageSummary({ db, entries }: { db: ShelfmarkDB; entries: readonly TabEntry[] }): JSX.Element {
  const [settings, setSettings] = useState<TriageSettings>(DEFAULT_SETTINGS);
  useEffect(() => {
    void readSettings(db).then(setSettings);
  }, [db]);
  const save = (s: TriageSettings) => {
    setSettings(s);
    void writeSettings(db, s);
  };
  const seen = entries.filter((e) => (e.result.seen ?? 0) > 0).length;
  const dismissed = entries.filter((e) => e.result.dismissed).length;
  const groups = groupBySuggestion(entries);
  return (
    <section aria-labelledby="sm-triage-h" class="sm-triage" data-shelfmark-triage>
      <h2 id="sm-triage-h">Triage</h2>
      <p>
        <span data-count="seen">{seen}</span> seen before · <span data-count="dismissed">{dismissed}</span> dismissed · {entries.length} on this page
      </p>
      {groups.length > 0 && (
        <ul class="sm-triage-groups" aria-label="Suggested tags">
          {groups.map((g) => (
            <li key={g.tag}>
              <details>
                <summary>
                  {g.tag} ({g.entries.length})
                </summary>
                <ul>
                  {g.entries.map((e) => (
                    <li key={e.entry.eid}>{e.entry.title}</li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
      <fieldset class="sm-triage-settings">
        <legend>On listing pages</legend>
        <label>
          <input
            type="checkbox"
            checked={settings.dismissed === 'hide'}
            onChange={(e) => save({ ...settings, dismissed: e.currentTarget.checked ? 'hide' : 'dim' })}
          />{' '}
          Hide dismissed entries (else dimmed)
        </label>
        <label>
          <input type="checkbox" checked={settings.keys} onChange={(e) => save({ ...settings, keys: e.currentTarget.checked })} /> Keyboard
          triage (press ? on a page)
        </label>
      </fieldset>
    </section>
  );
}
