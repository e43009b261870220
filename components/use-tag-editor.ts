// The tag editor's state and keyboard model, kept apart from its markup so each reads on its own.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RefObject, TargetedKeyboardEvent } from 'preact';
import { tagOptions, type TagOption } from './tag-options';
import { useAction } from './use-action';

export interface TagEditorState {
  input: RefObject<HTMLInputElement | null>;
  text: string;
  options: TagOption[];
  /** The suggestions are open and there is something to show. */
  expanded: boolean;
  activeIdx: number;
  error: string;
  busy: boolean;
  setActive: (i: number) => void;
  onInput: (text: string) => void;
  onFocus: () => void;
  onBlur: () => void;
  onKeyDown: (e: TargetedKeyboardEvent<HTMLInputElement>) => void;
  add: (tag: string) => Promise<void>;
  remove: (tag: string) => Promise<void>;
}

export interface TagEditorInput {
  tags: readonly string[];
  allTags: readonly string[];
  onAdd: (tag: string) => unknown;
  onRemove: (tag: string) => unknown;
  autoFocus?: boolean;
  maxSuggestions: number;
}

/**
 * Keyboard: ↑/↓ open or move in the suggestions, Enter (or a comma) adds, Esc closes the
 * suggestions then clears the text, Backspace in the empty field removes the last tag.
 */
export function useTagEditor({ tags, allTags, onAdd, onRemove, autoFocus, maxSuggestions }: TagEditorInput): TagEditorState {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const { busy, error, run } = useAction();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  const options = useMemo(() => tagOptions(text, tags, allTags, maxSuggestions), [text, tags, allTags, maxSuggestions]);
  const expanded = open && options.length > 0;
  const activeIdx = Math.min(active, options.length - 1);

  async function add(tag: string): Promise<void> {
    const clean = tag.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    // Reuse an existing spelling that differs only in case ("RL" for "rl").
    const existing = allTags.find((t) => t.toLowerCase() === clean.toLowerCase()) ?? clean;
    if (tags.some((t) => t.toLowerCase() === existing.toLowerCase())) {
      setText('');
      return;
    }
    await run(() => onAdd(existing));
    setText('');
    setActive(0);
    input.current?.focus();
  }

  async function remove(tag: string): Promise<void> {
    await run(() => onRemove(tag));
    input.current?.focus();
  }

  function onKeyDown(e: TargetedKeyboardEvent<HTMLInputElement>): void {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) setOpen(true);
        else setActive((activeIdx + 1) % Math.max(options.length, 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!open) setOpen(true);
        else setActive((activeIdx - 1 + options.length) % Math.max(options.length, 1));
        break;
      case 'Enter': {
        e.preventDefault();
        const opt = expanded ? options[activeIdx] : undefined;
        void add(opt ? opt.tag : text);
        break;
      }
      case ',':
        e.preventDefault();
        void add(text);
        break;
      case 'Escape':
        // Close the suggestions, then clear the text; only an idle field lets Esc through
        // (to close the popup or a dialog).
        if (expanded) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
        } else if (text) {
          e.preventDefault();
          e.stopPropagation();
          setText('');
        }
        break;
      case 'Backspace':
        if (!text && tags.length > 0) {
          e.preventDefault();
          void remove(tags[tags.length - 1]!);
        }
        break;
      default:
        break;
    }
  }

  return {
    input,
    text,
    options,
    expanded,
    activeIdx,
    error,
    busy,
    setActive,
    onInput: (value) => {
      setText(value);
      setOpen(true);
      setActive(0);
    },
    onFocus: () => setOpen(true),
    onBlur: () => setOpen(false),
    onKeyDown,
    add,
    remove,
  };
}
