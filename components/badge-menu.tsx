import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EntryResult, ListRef } from '@/lib/messaging/messages';
import { TagEditor } from './tag-editor';
import { ListPicker } from './list-picker';

export type MenuAction =
  | { kind: 'confirm'; paperId: string }
  | { kind: 'reject'; paperId: string }
  | { kind: 'add-paper' }
  | { kind: 'add-tag'; tag: string }
  | { kind: 'remove-tag'; tag: string }
  | { kind: 'add-to-list'; listId: string }
  | { kind: 'remove-from-list'; listId: string }
  | { kind: 'new-list'; name: string };

export interface BadgeMenuProps {
  /** The entry's title as the page shows it. */
  title: string;
  result?: EntryResult;
  allTags: readonly string[];
  allLists: readonly ListRef[];
  /** Performs an action; a rejection is shown in the menu. */
  onAction: (a: MenuAction) => Promise<void>;
  onClose: () => void;
}

/**
 * The menu a badge opens: confirm or reject a `maybe`, add a new paper, tag the paper, put it on
 * reading lists. A dialog: focus moves into it on open, Esc closes it (the caller returns focus
 * to the badge), every control is a native button, checkbox or text field.
 */
export function BadgeMenu({ title, result, allTags, allLists, onAction, onClose }: BadgeMenuProps): JSX.Element {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  const status = result?.status;

  useEffect(() => {
    first.current?.focus();
  }, [status]);

  async function act(a: MenuAction): Promise<void> {
    setBusy(true);
    setError('');
    try {
      await onAction(a);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      setBusy(false);
    }
  }
  // Buttons swallow the error after showing it; the tag editor and list picker show their own.
  const click = (a: MenuAction) => () => void act(a).catch(() => {});

  const heading =
    status === 'match'
      ? 'In your library'
      : status === 'maybe'
        ? 'Maybe in your library'
        : status === 'none'
          ? 'Not in your library'
          : 'Checking…';

  return (
    <div
      class="sm-menu"
      role="dialog"
      aria-modal="false"
      aria-label={`Shelfmark: ${title}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="sm-menu-head">
        <strong class={`sm-state sm-${status ?? 'pending'}`}>{heading}</strong>
        <button type="button" class="sm-close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p class="sm-title">{title}</p>

      {status === 'maybe' && (
        <div class="sm-section" role="group" aria-label="Confirm the match">
          {(result?.candidates ?? []).map((c, i) => (
            <div key={c.paperId} class="sm-candidate">
              <span class="sm-cand-title">Same paper as “{c.title || c.paperId}”?</span>
              <span class="sm-buttons">
                <button type="button" ref={i === 0 ? first : undefined} disabled={busy} onClick={click({ kind: 'confirm', paperId: c.paperId })}>
                  Yes, same paper
                </button>
                <button type="button" disabled={busy} onClick={click({ kind: 'reject', paperId: c.paperId })}>
                  No
                </button>
              </span>
            </div>
          ))}
          <button type="button" class="sm-secondary" disabled={busy} onClick={click({ kind: 'add-paper' })}>
            It is a different paper: add it to the library
          </button>
        </div>
      )}

      {status === 'none' && (
        <div class="sm-section">
          <button type="button" ref={first} class="sm-primary" disabled={busy} onClick={click({ kind: 'add-paper' })}>
            Add to library
          </button>
        </div>
      )}

      {(status === 'match' || status === 'none') && (
        <>
          <div class="sm-section">
            <TagEditor
              tags={result?.tags ?? []}
              allTags={allTags}
              autoFocus={status === 'match'}
              onAdd={(tag) => act({ kind: 'add-tag', tag })}
              onRemove={(tag) => act({ kind: 'remove-tag', tag })}
            />
          </div>
          <div class="sm-section">
            <ListPicker
              lists={allLists}
              inLists={(result?.lists ?? []).map((l) => l.id)}
              onAdd={(listId) => act({ kind: 'add-to-list', listId })}
              onRemove={(listId) => act({ kind: 'remove-from-list', listId })}
              onCreate={(name) => act({ kind: 'new-list', name })}
            />
          </div>
        </>
      )}

      {error && (
        <p class="sm-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
