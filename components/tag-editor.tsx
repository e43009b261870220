import { useId } from 'preact/hooks';
import type { JSX } from 'preact';
import { useTagEditor } from './use-tag-editor';

export interface TagEditorProps {
  /** Tags every target paper has. */
  tags: readonly string[];
  /** Tags only some papers of a selection have: shown apart; choosing one adds it to all. */
  partial?: readonly string[];
  /** Every tag in the corpus, for the type-ahead. */
  allTags: readonly string[];
  onAdd: (tag: string) => unknown;
  onRemove: (tag: string) => unknown;
  /** Visible label, e.g. "Tags" or "Tags of 3 papers". */
  label?: string;
  autoFocus?: boolean;
  /** Most suggestions shown at once. */
  maxSuggestions?: number;
}

/**
 * Tag editor: the tags as removable chips and a combobox (WAI-ARIA 1.2 pattern) that suggests
 * existing tags as you type and creates a new one from what you typed (keys: `useTagEditor`).
 * Each chip's button removes its tag. There is no limit on the number of tags.
 */
export function TagEditor(props: TagEditorProps): JSX.Element {
  const { tags, partial = [], allTags, onAdd, onRemove, label = 'Tags', autoFocus, maxSuggestions = 8 } = props;
  const uid = useId();
  const ed = useTagEditor({ tags, allTags, onAdd, onRemove, autoFocus, maxSuggestions });
  const listId = `${uid}-list`;

  return (
    <div class="sm-tag-editor" role="group" aria-labelledby={`${uid}-label`}>
      <span id={`${uid}-label`} class="sm-label">
        {label}
      </span>
      <ul class="sm-chips" aria-label={`${label}: current`}>
        {tags.map((t) => (
          <li key={t} class="sm-chip">
            <span>{t}</span>
            <button
              type="button"
              class="sm-chip-x"
              aria-label={`Remove tag ${t}`}
              disabled={ed.busy}
              onClick={() => void ed.remove(t)}
              onKeyDown={(e) => {
                if (e.key === 'Backspace' || e.key === 'Delete') {
                  e.preventDefault();
                  void ed.remove(t);
                }
              }}
            >
              ×
            </button>
          </li>
        ))}
        {partial
          .filter((t) => !tags.includes(t))
          .map((t) => (
            <li key={`p-${t}`} class="sm-chip sm-chip-partial">
              <button type="button" aria-label={`Add tag ${t} to all selected`} onClick={() => void ed.add(t)}>
                {t} (some)
              </button>
            </li>
          ))}
      </ul>
      <div class="sm-combo">
        <input
          ref={ed.input}
          type="text"
          role="combobox"
          aria-label={`Add a tag (${label})`}
          aria-autocomplete="list"
          aria-expanded={ed.expanded}
          aria-controls={listId}
          aria-activedescendant={ed.expanded ? `${uid}-opt-${ed.activeIdx}` : undefined}
          placeholder="Add a tag…"
          autoComplete="off"
          spellcheck={false}
          value={ed.text}
          onInput={(e) => ed.onInput(e.currentTarget.value)}
          onFocus={ed.onFocus}
          onBlur={ed.onBlur}
          onKeyDown={ed.onKeyDown}
        />
        <ul id={listId} role="listbox" class="sm-options" aria-label="Tag suggestions" hidden={!ed.expanded}>
          {ed.expanded &&
            ed.options.map((o, i) => (
              <li
                key={`${o.create ? 'new' : 'tag'}-${o.tag}`}
                id={`${uid}-opt-${i}`}
                role="option"
                aria-selected={i === ed.activeIdx}
                class={i === ed.activeIdx ? 'sm-option sm-active' : 'sm-option'}
                // mousedown, not click: the input must keep focus.
                onMouseDown={(e) => {
                  e.preventDefault();
                  void ed.add(o.tag);
                }}
                onMouseEnter={() => ed.setActive(i)}
              >
                {o.create ? `Create tag “${o.tag}”` : o.tag}
              </li>
            ))}
        </ul>
      </div>
      {ed.error && (
        <p role="alert" class="sm-error">
          {ed.error}
        </p>
      )}
    </div>
  );
}
