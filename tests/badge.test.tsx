import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup } from '@testing-library/preact';
import { Badge, badgeLabel } from '../components/badge';
import { BadgeMenu, type MenuAction } from '../components/badge-menu';
import type { EntryResult } from '../lib/messaging/messages';

afterEach(cleanup);

const match: EntryResult = {
  eid: 1,
  status: 'match',
  paperId: 'p1',
  tags: ['rl', 'offline', 'to-read', 'survey'],
  lists: [{ id: 'l1', name: 'Weekend' }],
};
const maybe: EntryResult = {
  eid: 2,
  status: 'maybe',
  paperId: 'p2',
  candidates: [{ paperId: 'p2', title: 'Conservative Q-Learning for Offline RL', score: 0.8 }],
  tags: [],
  lists: [],
};
const none: EntryResult = { eid: 3, status: 'none', tags: [], lists: [] };

describe('Badge', () => {
  it('shows the status, up to three tags with a remainder count, and the list', () => {
    render(<Badge result={match} expanded={false} onOpen={() => {}} />);
    const b = screen.getByRole('button');
    expect(b.className).toContain('sm-match');
    expect(b.textContent).toBe('✓rlofflineto-read+1☰ Weekend');
    expect(b.getAttribute('aria-label')).toBe(
      'Shelfmark: In your library; tags: rl, offline, to-read, survey; lists: Weekend. Open menu',
    );
    expect(b.getAttribute('aria-expanded')).toBe('false');
  });

  it('renders page-derived strings as text, never markup', () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { container } = render(
      <Badge result={{ ...match, tags: [evil], lists: [{ id: 'l', name: '<script>alert(1)</script>' }] }} expanded={false} onOpen={() => {}} />,
    );
    expect(container.querySelector('img, script')).toBeNull();
    expect(container.textContent).toContain(evil);
  });

  it('maybe, none and pending states', () => {
    const { rerender } = render(<Badge result={maybe} expanded onOpen={() => {}} />);
    expect(screen.getByRole('button').textContent).toBe('?maybe');
    expect(screen.getByRole('button').getAttribute('aria-expanded')).toBe('true');
    rerender(<Badge result={none} expanded={false} onOpen={() => {}} />);
    expect(screen.getByRole('button').className).toContain('sm-none');
    rerender(<Badge expanded={false} onOpen={() => {}} />);
    expect(screen.getByRole('button').className).toContain('sm-pending');
    expect(badgeLabel(undefined)).toBe('Shelfmark: checking…');
  });

  it('opens on click and on Enter/Space as a native button', () => {
    const onOpen = vi.fn();
    render(<Badge result={none} expanded={false} onOpen={onOpen} />);
    fireEvent.click(screen.getByRole('button'));
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen.mock.calls[0]![0]).toBe(screen.getByRole('button'));
  });
});

function menu(result: EntryResult, onAction = vi.fn(async (_a: MenuAction) => {}), onClose = vi.fn()) {
  render(
    <BadgeMenu
      title="Some <b>Title</b>"
      result={result}
      allTags={['rl', 'robotics', 'offline']}
      allLists={[
        { id: 'l1', name: 'Weekend' },
        { id: 'l2', name: 'Thesis' },
      ]}
      onAction={onAction}
      onClose={onClose}
    />,
  );
  return { onAction, onClose };
}

describe('BadgeMenu', () => {
  it('is a labelled dialog; Esc closes it', () => {
    const { onClose } = menu(none);
    const dialog = screen.getByRole('dialog');
    expect(dialog.getAttribute('aria-label')).toBe('Shelfmark: Some <b>Title</b>');
    expect(dialog.querySelector('b')).toBeNull();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });

  it('maybe: focuses the first confirmation; Yes confirms, No rejects, or add as a new paper', async () => {
    const { onAction } = menu(maybe);
    const yes = screen.getByRole('button', { name: 'Yes, same paper' });
    await waitFor(() => expect(document.activeElement).toBe(yes));
    expect(screen.getByText(/Same paper as “Conservative Q-Learning for Offline RL”\?/)).toBeTruthy();
    fireEvent.click(yes);
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'confirm', paperId: 'p2' }));
    fireEvent.click(screen.getByRole('button', { name: 'No' }));
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'reject', paperId: 'p2' }));
    fireEvent.click(screen.getByRole('button', { name: /different paper/ }));
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'add-paper' }));
    // No tag editor for a maybe: it is not yet known which paper it is.
    expect(screen.queryByRole('combobox')).toBeNull();
  });

  it('none: "Add to library" is focused; tags and lists are offered too', async () => {
    const { onAction } = menu(none);
    const add = screen.getByRole('button', { name: 'Add to library' });
    await waitFor(() => expect(document.activeElement).toBe(add));
    fireEvent.click(add);
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'add-paper' }));
    expect(screen.getByRole('combobox')).toBeTruthy();
  });

  it('match: the tag field is focused; typing + Enter adds, chip button removes, lists toggle', async () => {
    const { onAction } = menu(match);
    const field = screen.getByRole('combobox');
    await waitFor(() => expect(document.activeElement).toBe(field));
    fireEvent.input(field, { target: { value: 'new tag' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'add-tag', tag: 'new tag' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove tag rl' }));
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'remove-tag', tag: 'rl' }));
    const weekend = screen.getByRole('checkbox', { name: /Weekend/ }) as HTMLInputElement;
    const thesis = screen.getByRole('checkbox', { name: /Thesis/ }) as HTMLInputElement;
    expect(weekend.checked).toBe(true);
    expect(thesis.checked).toBe(false);
    fireEvent.click(thesis);
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'add-to-list', listId: 'l2' }));
    fireEvent.click(weekend);
    await waitFor(() => expect(onAction).toHaveBeenCalledWith({ kind: 'remove-from-list', listId: 'l1' }));
  });

  it('shows a failed action as an alert', async () => {
    const failing = vi.fn(async () => {
      throw new Error('Quota exceeded: not saved');
    });
    menu(none, failing);
    fireEvent.click(screen.getByRole('button', { name: 'Add to library' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Quota exceeded: not saved');
  });
});
