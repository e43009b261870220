import type { Paper } from '../model/types';
import { paperUrl } from './links';
import type { ExportItem } from './types';

/** Markdown for notes and READMEs: one bullet per paper, a task checkbox for reading lists. */

/** Escapes characters that Markdown would read as markup (and "<" so no HTML slips through). */
export function escapeMarkdown(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}

function escapeUrl(u: string): string {
  // Parentheses and spaces would end the link target early.
  return u.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
}

/** "[Title](url)" or the escaped title alone when the paper has no link. */
export function markdownLink(p: Paper): string {
  const url = paperUrl(p);
  const title = escapeMarkdown(p.title);
  return url ? `[${title}](${escapeUrl(url)})` : title;
}

function authorsShort(authors: string[] | undefined): string {
  const a = (authors ?? []).filter((x) => x.trim());
  if (!a.length) return '';
  return a.length > 3 ? `${a.slice(0, 3).join(', ')} et al.` : a.join(', ');
}

export function markdownItem(item: ExportItem): string {
  const p = item.paper;
  const bits = [markdownLink(p)];
  const who = authorsShort(p.authors);
  const meta = [who && escapeMarkdown(who), p.year ? String(p.year) : ''].filter(Boolean).join(', ');
  if (meta) bits.push(`— ${meta}`);
  if (item.tags.length) bits.push(item.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(' '));
  const box = item.list ? (item.list.read ? '[x] ' : '[ ] ') : '';
  let line = `- ${box}${bits.join(' ')}`;
  if (item.note) line += `\n  > ${escapeMarkdown(item.note)}`;
  return line;
}

export function toMarkdown(items: ExportItem[], title?: string): string {
  const head = title ? `# ${escapeMarkdown(title)}\n\n` : '';
  return head + items.map(markdownItem).join('\n') + '\n';
}
