import { render } from 'preact';
import { Badge } from '@/components/badge';
import { BadgeMenu, type MenuAction } from '@/components/badge-menu';
import type { EntryResult, ListRef } from '@/lib/messaging/messages';
import { BADGE_CSS, MENU_CSS } from './style';

/** Attribute on our own host elements, so the mutation observer can ignore our insertions. */
export const HOST_ATTR = 'data-shelfmark-host';

const sheets = new Map<string, CSSStyleSheet | null>();

/** One constructed stylesheet shared by every shadow root; a <style> element where adopting fails (Firefox content scripts). */
function applyStyle(root: ShadowRoot, css: string): void {
  let sheet = sheets.get(css);
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    } catch {
      sheet = null;
    }
    sheets.set(css, sheet);
  }
  if (sheet) {
    try {
      root.adoptedStyleSheets = [sheet];
      return;
    } catch {
      sheets.set(css, null);
    }
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = css;
  root.append(style);
}

export interface BadgeHandle {
  host: HTMLElement;
  update(result: EntryResult | undefined, expanded: boolean): void;
  focus(): void;
  remove(): void;
}

/**
 * Mounts a badge right after `titleEl`, in its own shadow root (closed unless `mode` is 'open',
 * which only test builds use).
 */
export function mountBadge(
  titleEl: Element,
  mode: ShadowRootMode,
  onOpen: () => void,
): BadgeHandle {
  const doc = titleEl.ownerDocument;
  const host = doc.createElement('span');
  host.setAttribute(HOST_ATTR, 'badge');
  const shadow = host.attachShadow({ mode });
  applyStyle(shadow, BADGE_CSS);
  const mount = doc.createElement('span');
  shadow.append(mount);
  titleEl.after(host);
  // Clicks on the badge must not follow the title's link or trigger the row's own handlers.
  for (const type of ['click', 'mousedown', 'pointerdown', 'keydown'] as const) {
    host.addEventListener(type, (e) => {
      e.stopPropagation();
      if (type === 'click') e.preventDefault();
    });
  }
  return {
    host,
    update(result, expanded) {
      render(<Badge result={result} expanded={expanded} onOpen={onOpen} />, mount);
    },
    focus() {
      shadow.querySelector('button')?.focus();
    },
    remove() {
      render(null, mount);
      host.remove();
    },
  };
}

export interface MenuState {
  title: string;
  result?: EntryResult;
  allTags: string[];
  allLists: ListRef[];
}

/** The one menu, in its own shadow root on the document element, placed next to the badge. */
export class MenuHost {
  readonly host: HTMLElement;
  private readonly mount: HTMLElement;
  private anchor: HTMLElement | undefined;
  private readonly reposition = () => this.place();

  constructor(
    private readonly doc: Document,
    mode: ShadowRootMode,
  ) {
    this.host = doc.createElement('span');
    this.host.setAttribute(HOST_ATTR, 'menu');
    const shadow = this.host.attachShadow({ mode });
    applyStyle(shadow, MENU_CSS);
    this.mount = doc.createElement('div');
    shadow.append(this.mount);
    for (const type of ['click', 'mousedown', 'pointerdown', 'keydown', 'keyup', 'keypress', 'input'] as const) {
      // Keep the page's shortcuts (arXiv, Scholar and HF all have some) from seeing typed tags.
      this.host.addEventListener(type, (e) => e.stopPropagation());
    }
  }

  get isOpen(): boolean {
    return this.host.isConnected;
  }

  render(anchor: HTMLElement, state: MenuState, onAction: (a: MenuAction) => Promise<void>, onClose: () => void): void {
    this.anchor = anchor;
    if (!this.host.isConnected) {
      this.doc.documentElement.append(this.host);
      this.doc.defaultView?.addEventListener('scroll', this.reposition, { capture: true, passive: true });
      this.doc.defaultView?.addEventListener('resize', this.reposition, { passive: true });
    }
    render(
      <BadgeMenu
        title={state.title}
        result={state.result}
        allTags={state.allTags}
        allLists={state.allLists}
        onAction={onAction}
        onClose={onClose}
      />,
      this.mount,
    );
    this.place();
  }

  close(): void {
    render(null, this.mount);
    this.host.remove();
    this.anchor = undefined;
    this.doc.defaultView?.removeEventListener('scroll', this.reposition, { capture: true });
    this.doc.defaultView?.removeEventListener('resize', this.reposition);
  }

  private place(): void {
    if (!this.anchor) return;
    const r = this.anchor.getBoundingClientRect();
    const view = this.doc.defaultView;
    const width = 320;
    const vw = view?.innerWidth ?? 1024;
    const vh = view?.innerHeight ?? 768;
    const left = Math.max(4, Math.min(r.left, vw - width - 8));
    // Below the badge, or above it when there is no room below.
    const below = r.bottom + 4;
    const top = below + 200 > vh && r.top > vh / 2 ? Math.max(4, r.top - 4 - Math.min(0.7 * vh, 420)) : below;
    this.host.style.setProperty('left', `${left}px`, 'important');
    this.host.style.setProperty('top', `${top}px`, 'important');
  }
}
