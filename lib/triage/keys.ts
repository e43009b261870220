/**
 * Keyboard triage on listing pages. Single keys without modifiers, taken only when
 * - the focus is not in something editable (a search box, a comment field, a contenteditable),
 * - the page has not handled the key already (`defaultPrevented`: the listener runs in the
 *   bubble phase on window, after the page's own handlers), and
 * - the user has not switched keyboard triage off (popup).
 * So a site's own shortcut always wins: a page that handles a key (and prevents its default)
 * keeps it. The letters follow mail and feed readers (j/k to move); "/" and Ctrl/⌘ combinations,
 * which listing sites use for their search boxes, are never taken.
 */

export type TriageAction = 'next' | 'prev' | 'add' | 'accept' | 'dismiss' | 'undo' | 'menu' | 'help' | 'close';

export interface KeyBinding {
  key: string;
  action: TriageAction;
  label: string;
}

export const KEYMAP: readonly KeyBinding[] = [
  { key: 'j', action: 'next', label: 'Next entry' },
  { key: 'k', action: 'prev', label: 'Previous entry' },
  { key: 'a', action: 'add', label: 'Add to library' },
  { key: 'y', action: 'accept', label: 'Accept the first suggested tag (adds the paper)' },
  { key: 'x', action: 'dismiss', label: 'Not interested (dismiss)' },
  { key: 'u', action: 'undo', label: 'Undo the last dismissal' },
  { key: 'o', action: 'menu', label: 'Open the Shelfmark menu' },
  { key: '?', action: 'help', label: 'Show these keys' },
  { key: 'Escape', action: 'close', label: 'Close this help' },
];

const BY_KEY = new Map(KEYMAP.map((b) => [b.key, b.action]));

export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  isComposing?: boolean;
  target: EventTarget | null;
}

/** Whether the event's target takes text (then every key belongs to it). */
export function isEditable(target: EventTarget | null): boolean {
  const el = target as (Element & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (el.getAttribute('type') ?? 'text').toLowerCase();
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'image', 'range', 'color', 'file'].includes(type);
}

/** The triage action of a key event, or undefined when the key is not ours to take. */
export function keyAction(e: KeyEventLike, enabled: boolean): TriageAction | undefined {
  if (!enabled || e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (isEditable(e.target)) return undefined;
  // Shift only as part of "?" (Shift+/ on most layouts); "J" with Shift is not "j".
  return BY_KEY.get(e.key);
}
