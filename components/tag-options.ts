// The suggestion rule alone, a pure function of the typed text and the tags, readable on its own.

export interface TagOption {
  tag: string;
  /** True for the "Create tag …" option made from the typed text. */
  create: boolean;
}

/**
 * Suggestions for `text`: tags not on the paper that start with it, then those containing it,
 * at most `max`; then a "create" option unless the text already names a tag (case-insensitive).
 */
export function tagOptions(text: string, tags: readonly string[], allTags: readonly string[], max: number): TagOption[] {
  const q = text.trim().toLowerCase();
  const have = new Set(tags.map((t) => t.toLowerCase()));
  const pool = allTags.filter((t) => !have.has(t.toLowerCase()));
  const starts = pool.filter((t) => t.toLowerCase().startsWith(q));
  const contains = q ? pool.filter((t) => !t.toLowerCase().startsWith(q) && t.toLowerCase().includes(q)) : [];
  const out: TagOption[] = [...starts, ...contains].slice(0, max).map((tag) => ({ tag, create: false }));
  const exact = allTags.some((t) => t.toLowerCase() === q) || have.has(q);
  if (q && !exact) out.push({ tag: text.trim().replace(/\s+/g, ' '), create: true });
  return out;
}
