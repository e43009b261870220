import type { JSX } from 'preact';
import type { EntryResult } from '@/lib/messaging/messages';

export interface BadgeProps {
  /** Undefined while the background has not answered yet. */
  result?: EntryResult;
  expanded: boolean;
  onOpen: (button: HTMLButtonElement) => void;
}

const MAX_TAGS_SHOWN = 3;

/** What a screen reader hears for the badge; also its tooltip. */
export function badgeLabel(result: EntryResult | undefined): string {
  if (!result) return 'Shelfmark: checking…';
  const parts: string[] = [];
  if (result.status === 'match') parts.push('In your library');
  else if (result.status === 'maybe') parts.push('Maybe in your library: confirm');
  else parts.push('Not in your library');
  if (result.tags.length) parts.push(`tags: ${result.tags.join(', ')}`);
  if (result.lists.length) parts.push(`lists: ${result.lists.map((l) => l.name).join(', ')}`);
  return `Shelfmark: ${parts.join('; ')}. Open menu`;
}

/**
 * The mark beside an entry's title: status, tags and reading lists, as one button that opens the
 * Shelfmark menu. Page text only ever reaches it as Preact text nodes.
 */
export function Badge({ result, expanded, onOpen }: BadgeProps): JSX.Element {
  const status = result?.status ?? 'pending';
  const tags = result?.tags ?? [];
  const lists = result?.lists ?? [];
  const icon = status === 'match' ? '✓' : status === 'maybe' ? '?' : status === 'none' ? '+' : '…';
  return (
    <button
      type="button"
      class={`sm-badge sm-${status}`}
      aria-haspopup="dialog"
      aria-expanded={expanded}
      aria-label={badgeLabel(result)}
      title={badgeLabel(result)}
      onClick={(e) => onOpen(e.currentTarget)}
    >
      <span class="sm-icon" aria-hidden="true">
        {icon}
      </span>
      {status === 'maybe' && <span class="sm-word">maybe</span>}
      {tags.slice(0, MAX_TAGS_SHOWN).map((t) => (
        <span key={t} class="sm-tag" aria-hidden="true">
          {t}
        </span>
      ))}
      {tags.length > MAX_TAGS_SHOWN && (
        <span class="sm-more" aria-hidden="true">
          +{tags.length - MAX_TAGS_SHOWN}
        </span>
      )}
      {lists.length > 0 && (
        <span class="sm-list" aria-hidden="true">
          ☰ {lists.length === 1 ? lists[0]!.name : `${lists.length} lists`}
        </span>
      )}
    </button>
  );
}
