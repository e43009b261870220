import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { dismissUnsaved, watchUnsaved, type UnsavedChange } from '@/lib/storage/storage-guard';

/**
 * The popup's "not saved" notice: every write the browser refused (storage full, IndexedDB
 * unavailable in a private window), from any Shelfmark page or the background, with what it was,
 * until the user dismisses it. Nothing the user did is dropped without a word.
 */
export function UnsavedBanner(): JSX.Element | null {
  const [items, setItems] = useState<UnsavedChange[]>([]);
  useEffect(() => watchUnsaved(setItems), []);
  if (!items.length) return null;
  return (
    <section role="alert" aria-labelledby="sm-unsaved-h" class="sm-unsaved">
      <h2 id="sm-unsaved-h">
        {items.length === 1 ? '1 change was not saved' : `${items.length} changes were not saved`}
      </h2>
      <p class="sm-muted">
        The browser refused to store them (its storage may be full, or this window does not allow it). Free some
        disk space or use a normal window, then make these changes again.
      </p>
      <ul>
        {items.map((i) => (
          <li key={i.id}>
            <strong>{i.what}</strong>{' '}
            <span class="sm-muted">
              ({new Date(i.at).toLocaleTimeString()}: {i.error})
            </span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void dismissUnsaved(items.map((i) => i.id))}>
        Dismiss
      </button>
    </section>
  );
}
