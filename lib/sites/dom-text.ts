/**
 * Small DOM reading helpers shared by the site adapters. Page text is data: everything here
 * reads `textContent` and attribute values, never markup, so a title holding `<script>` comes
 * back as the literal characters.
 */

/** An element's text with runs of whitespace (newlines, tabs, nbsp) collapsed to one space. */
export function textOf(el: Element | null | undefined): string {
  if (!el) return '';
  return collapse(el.textContent ?? '');
}

/**
 * Page text (possibly missing) with whitespace runs collapsed to one space. Unlike `collapse`, a
 * zero-width space is left in place.
 */
export function clean(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** Collapses whitespace in a string read from the page (attributes, JSON-LD values). */
export function collapse(s: string): string {
  return s.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/**
 * The raw text of `el`'s text nodes, skipping every descendant element matched by `skip` (labels,
 * buttons, badge spans) and its subtree. Whitespace is left as it is for the caller to collapse.
 */
export function textSkipping(el: Element, skip: string): string {
  let out = '';
  const walk = (node: Node): void => {
    node.childNodes.forEach((child) => {
      if (child.nodeType === 3) out += child.nodeValue ?? '';
      else if (child.nodeType === 1 && !(child as Element).matches(skip)) walk(child);
    });
  };
  walk(el);
  return out;
}

/**
 * The first element matched by the first selector alternative that matches anything.
 * Alternatives are tried in order so the layout-specific selector wins over looser fallbacks.
 * An invalid selector is skipped rather than thrown.
 */
export function firstOf(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const sel of selectors) {
    try {
      const el = root.querySelector(sel);
      if (el) return el;
    } catch {
      // An unsupported selector in this DOM implementation: try the next alternative.
    }
  }
  return null;
}

/** Every element matched by the first selector alternative that matches anything. */
export function allOf(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const sel of selectors) {
    try {
      const found = Array.from(root.querySelectorAll(sel));
      if (found.length > 0) return found;
    } catch {
      // See firstOf.
    }
  }
  return [];
}

/** `href` resolved against `base`, or undefined when it is missing or not an http(s) URL. */
export function absoluteUrl(href: string | null | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Drops empty strings and exact duplicates, keeping the page's order. */
export function uniqueNames(names: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const n = collapse(raw);
    if (!n || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}
