import { describe, it, expect } from 'vitest';
import { KEYMAP, isEditable, keyAction, type KeyEventLike } from '../../lib/triage/keys';

const ev = (key: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  target: document.body,
  ...extra,
});

/** An element from test markup (never page text). */
function make(html: string): Element {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.firstElementChild!;
}

describe('keyboard triage map', () => {
  it('binds each key once, every action has a key, and "?" lists them all', () => {
    const keys = KEYMAP.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(KEYMAP.map((b) => b.action))).toEqual(new Set(['next', 'prev', 'add', 'accept', 'dismiss', 'undo', 'menu', 'help', 'close']));
    for (const b of KEYMAP) expect(keyAction(ev(b.key), true)).toBe(b.action);
  });

  it('never takes a key with a modifier, a key the page handled, a composing key, or any key when switched off', () => {
    for (const b of KEYMAP) {
      expect(keyAction(ev(b.key, { ctrlKey: true }), true)).toBeUndefined();
      expect(keyAction(ev(b.key, { metaKey: true }), true)).toBeUndefined();
      expect(keyAction(ev(b.key, { altKey: true }), true)).toBeUndefined();
      expect(keyAction(ev(b.key, { defaultPrevented: true }), true)).toBeUndefined();
      expect(keyAction(ev(b.key, { isComposing: true }), true)).toBeUndefined();
      expect(keyAction(ev(b.key), false)).toBeUndefined();
    }
    // Keys listing sites use for search ("/") and capitals are not ours.
    for (const k of ['/', 'J', 'K', 'X', 's', 'Enter', ' ']) expect(keyAction(ev(k), true)).toBeUndefined();
  });

  it('leaves every key to editable fields', () => {
    const editable = ['<input>', '<input type="search">', '<input type="email">', '<textarea></textarea>', '<select></select>'];
    for (const h of editable) {
      expect(isEditable(make(h)), h).toBe(true);
      expect(keyAction(ev('x', { target: make(h) }), true)).toBeUndefined();
    }
    const ce = make('<div contenteditable="true"></div>') as HTMLElement;
    Object.defineProperty(ce, 'isContentEditable', { value: true });
    expect(isEditable(ce)).toBe(true);
    for (const h of ['<input type="checkbox">', '<button></button>', '<a href="#">x</a>', '<div></div>']) {
      expect(isEditable(make(h)), h).toBe(false);
      expect(keyAction(ev('x', { target: make(h) }), true)).toBe('dismiss');
    }
    expect(isEditable(null)).toBe(false);
  });
});
