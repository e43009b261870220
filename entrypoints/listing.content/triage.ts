import type { Marker, MarkedEntry, Send } from './marker';
import { HOST_ATTR } from './render';
import { KEYMAP, keyAction, type TriageAction } from '@/lib/triage/keys';
import { titleKey } from '@/lib/model/normalize';

/** Stable hooks on each entry root (DESIGN.md). */
export const SEEN_ATTR = 'data-shelfmark-seen';
export const DISMISSED_ATTR = 'data-shelfmark-dismissed';
export const SUGGEST_ATTR = 'data-shelfmark-suggest';
/** The entry keyboard triage is on. */
export const CURRENT_ATTR = 'data-shelfmark-current';

// Page-level rules for the hooks (the roots are the page's elements, outside our shadow roots).
const PAGE_CSS = `
[${DISMISSED_ATTR}="dim"] { opacity: .45 !important; }
[${DISMISSED_ATTR}="hide"] { display: none !important; }
[${CURRENT_ATTR}] { outline: 2px solid #2f6f3e !important; outline-offset: 3px !important; }
`;

const CHIP_CSS = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-left: .3em; line-height: 1; }
.row { display: inline-flex; gap: 3px; align-items: center; font: 500 11px/1.4 system-ui, sans-serif; }
button { all: initial; cursor: pointer; font: inherit; padding: 1px 6px; border-radius: 9px;
  border: 1px dashed #2f6f3e; color: #1d5b2c; background: #f4fbf5; }
button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.seen { color: #5f6368; padding: 1px 4px; }
button.dismiss { border: 1px solid transparent; color: #80868b; background: transparent; padding: 1px 4px; }
button.dismiss:hover { border-color: #dadce0; color: #202124; }
.help { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; background: #fff; color: #202124;
  border: 1px solid #dadce0; border-radius: 8px; padding: 10px 14px; box-shadow: 0 4px 16px rgba(0,0,0,.2);
  font: 13px/1.5 system-ui, sans-serif; }
.help kbd { display: inline-block; min-width: 1.4em; text-align: center; border: 1px solid #bbb; border-radius: 4px;
  padding: 0 4px; margin-right: 8px; font: 12px ui-monospace, monospace; }
.help h2 { font-size: 13px; margin: 0 0 6px; }
.toast { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); z-index: 2147483647;
  background: #202124; color: #fff; border-radius: 6px; padding: 6px 12px; font: 13px system-ui, sans-serif; }
`;

function shortDate(at: number): string {
  return new Date(at).toLocaleDateString('en', { month: 'short', day: 'numeric' });
}

/** What the chip's seen mark says ("seen 3× — first on arxiv.org/list/cs.LG/new, Mar 17"). */
export function seenText(seen: number, first?: { label: string; at: number }): string {
  const times = `seen before: ${seen} time${seen === 1 ? '' : 's'}`;
  return first ? `${times}, first on ${first.label || 'a listing'}, ${shortDate(first.at)}` : times;
}

interface Chip {
  host: HTMLElement;
  row: HTMLElement;
}

/**
 * Triage on the page: sets the seen / dismissed / suggest hooks on each entry root, shows the
 * suggestions next to the badge (one click accepts), and keyboard triage (`?` lists the keys).
 */
export class TriageUi {
  /** An entry's seen figure is the one of this page view's start: later answers don't change it. */
  private readonly seenAt = new WeakMap<Element, number>();
  private readonly chips = new WeakMap<Element, Chip>();
  private current: number | undefined;
  private keysOn = true;
  private mode: 'dim' | 'hide' = 'dim';
  private lastDismissed: { key: string; eid: number } | undefined;
  private overlay: HTMLElement | undefined;
  private style: HTMLStyleElement | undefined;
  private sheet: CSSStyleSheet | undefined;
  private marker: Marker | undefined;

  constructor(
    private readonly doc: Document,
    private readonly send: Send,
    private readonly shadowMode: ShadowRootMode,
  ) {}

  start(marker: Marker): void {
    this.marker = marker;
    this.installPageStyle();
    this.doc.defaultView?.addEventListener('keydown', this.onKey);
    void this.send({ type: 'triage-settings' }).then((r) => {
      if (!r.ok) return;
      this.keysOn = r.keys;
      if (r.dismissed !== this.mode) {
        this.mode = r.dismissed;
        for (const e of marker.entries()) if (e.root.hasAttribute(DISMISSED_ATTR)) e.root.setAttribute(DISMISSED_ATTR, this.mode);
      }
    });
  }

  /**
   * The hooks' page rules: an adopted stylesheet (no node in the page); a <style> element where
   * adopting fails (Firefox content scripts). Not a Shelfmark host: hosts carry no light-DOM text.
   */
  private installPageStyle(): void {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PAGE_CSS);
      this.doc.adoptedStyleSheets = [...this.doc.adoptedStyleSheets, sheet];
      this.sheet = sheet;
      return;
    } catch {
      // Fall through to a <style> element.
    }
    const style = this.doc.createElement('style');
    style.setAttribute('data-shelfmark-style', '');
    style.textContent = PAGE_CSS;
    (this.doc.head ?? this.doc.documentElement).append(style);
    this.style = style;
  }

  stop(): void {
    this.doc.defaultView?.removeEventListener('keydown', this.onKey);
    this.style?.remove();
    if (this.sheet) this.doc.adoptedStyleSheets = this.doc.adoptedStyleSheets.filter((x) => x !== this.sheet);
    this.overlay?.remove();
  }

  /**
   * The marker applied results: every hook at once; the chips of entries whose badge is on the
   * page (a chip already there is kept current). The other entries get their chip with their
   * badge (badgeMounted): thousands of chips at once would hold up the first badges on screen.
   */
  readonly applied = (entries: MarkedEntry[]): void => {
    for (const e of entries) {
      const r = e.result;
      if (!r) continue;
      // The background leaves `seen` out for a paper never seen before.
      if (!this.seenAt.has(e.root)) this.seenAt.set(e.root, r.seen ?? 0);
      const seen = this.seenAt.get(e.root);
      if (seen !== undefined && e.root.getAttribute(SEEN_ATTR) !== String(seen)) e.root.setAttribute(SEEN_ATTR, String(seen));
      if (r.dismissed) e.root.setAttribute(DISMISSED_ATTR, this.mode);
      else e.root.removeAttribute(DISMISSED_ATTR);
      const suggest = r.suggest?.join(',');
      if (suggest) e.root.setAttribute(SUGGEST_ATTR, suggest);
      else e.root.removeAttribute(SUGGEST_ATTR);
      if (e.badge?.isConnected || this.chips.get(e.root)?.host.isConnected) this.renderChip(e, seen ?? 0);
    }
  };

  /** An entry's badge was put on the page: its chip follows it. */
  readonly badgeMounted = (e: MarkedEntry): void => {
    if (e.result) this.renderChip(e, this.seenAt.get(e.root) ?? 0);
  };

  private renderChip(e: MarkedEntry, seen: number): void {
    const suggest = e.result?.suggest ?? [];
    let chip = this.chips.get(e.root);
    if (!chip || !chip.host.isConnected) {
      const row = this.doc.createElement('span');
      row.className = 'row';
      const host = this.styledHost('triage', row);
      for (const type of ['click', 'mousedown', 'pointerdown', 'keydown'] as const) {
        host.addEventListener(type, (ev) => {
          ev.stopPropagation();
          if (type === 'click') ev.preventDefault();
        });
      }
      chip = { host, row };
      this.chips.set(e.root, chip);
    }
    // After the badge when it is there, else after the title (the badge is mounted later, before us).
    const anchor = e.badge?.isConnected ? e.badge : e.titleEl;
    if (anchor.nextSibling !== chip.host) anchor.after(chip.host);
    const parts: Node[] = [];
    if (seen) {
      const s = this.doc.createElement('span');
      s.className = 'seen';
      s.textContent = `seen ${seen}×`;
      s.title = seenText(seen, e.result?.firstSeen);
      parts.push(s);
    }
    for (const tag of suggest) {
      const b = this.doc.createElement('button');
      b.type = 'button';
      b.className = 'suggest';
      b.textContent = `+ ${tag}`;
      b.title = `Suggested tag: ${tag} — click (or press y) to tag and add this paper`;
      b.addEventListener('click', () => void this.run('accept', e.eid, tag));
      parts.push(b);
    }
    // One click dismisses (or, on a dismissed entry, undoes).
    const dismissed = !!e.result?.dismissed;
    const x = this.doc.createElement('button');
    x.type = 'button';
    x.className = 'dismiss';
    x.textContent = dismissed ? 'undo' : '✕';
    x.title = dismissed ? 'Dismissed — click to undo' : 'Not interested (x)';
    x.setAttribute('aria-label', dismissed ? 'Undo: not interested' : 'Not interested');
    x.addEventListener('click', () => void (dismissed ? this.undoFor(e.eid) : this.run('dismiss', e.eid)));
    parts.push(x);
    chip.row.replaceChildren(...parts);
  }

  private visible(): MarkedEntry[] {
    return (this.marker?.entries() ?? []).filter((e) => e.root.getAttribute(DISMISSED_ATTR) !== 'hide');
  }

  private readonly onKey = (ev: KeyboardEvent): void => {
    const action = keyAction(ev, this.keysOn);
    if (!action) return;
    if (action === 'close' && !this.overlay) return;
    ev.preventDefault();
    void this.run(action);
  };

  private move(step: 1 | -1): void {
    const list = this.visible();
    if (!list.length) return;
    const at = list.findIndex((e) => e.eid === this.current);
    const next = list[at < 0 ? (step === 1 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step))]!;
    this.select(next);
  }

  private select(e: MarkedEntry): void {
    for (const old of this.doc.querySelectorAll(`[${CURRENT_ATTR}]`)) old.removeAttribute(CURRENT_ATTR);
    e.root.setAttribute(CURRENT_ATTR, '');
    this.current = e.eid;
    e.root.scrollIntoView?.({ block: 'nearest' });
  }

  /** Runs a triage action on the current entry (or `eid`). */
  async run(action: TriageAction, eid = this.current, tag?: string): Promise<void> {
    const marker = this.marker;
    if (!marker) return;
    if (action === 'next' || action === 'prev') return this.move(action === 'next' ? 1 : -1);
    if (action === 'help') return this.toggleHelp();
    if (action === 'close') return this.toggleHelp(false);
    if (action === 'undo') {
      const last = this.lastDismissed;
      if (!last) return;
      this.lastDismissed = undefined;
      await this.send({ type: 'undismiss', key: last.key });
      await marker.recheck(last.eid);
      this.toast('Dismissal undone');
      return;
    }
    const e = marker.entries().find((x) => x.eid === eid);
    if (!e) {
      if (eid === undefined) this.move(1);
      return;
    }
    switch (action) {
      case 'add':
        await marker.act(e.eid, { kind: 'add-paper' });
        break;
      case 'accept': {
        const t = tag ?? e.result?.suggest?.[0];
        if (t) await marker.act(e.eid, { kind: 'add-tag', tag: t });
        break;
      }
      case 'menu':
        marker.openMenu(e.eid);
        break;
      case 'dismiss': {
        const paperId = e.result?.status === 'match' ? e.result.paperId : undefined;
        const r = await this.send({ type: 'dismiss', entry: e.wire, pageUrl: marker.page, ...(paperId ? { paperId } : {}) });
        if (r.ok) {
          this.lastDismissed = { key: r.key, eid: e.eid };
          await marker.recheck(e.eid);
          this.toast(this.keysOn ? 'Dismissed — press u to undo' : 'Dismissed');
          if (this.mode === 'hide' && e.eid === this.current) this.move(1);
        }
        break;
      }
    }
  }

  /** Undoes the dismissal of one entry (its chip's undo button). */
  private async undoFor(eid: number): Promise<void> {
    const e = this.marker?.entries().find((x) => x.eid === eid);
    if (!e || !this.marker) return;
    const r = await this.send({ type: 'undismiss', key: titleKey(e.wire.title) });
    if (r.ok) await this.marker.recheck(eid);
    if (this.lastDismissed?.eid === eid) this.lastDismissed = undefined;
  }

  private toast(text: string): void {
    const box = this.doc.createElement('div');
    box.className = 'toast';
    box.setAttribute('role', 'status');
    box.textContent = text;
    const host = this.styledHost('toast', box);
    this.doc.documentElement.append(host);
    setTimeout(() => host.remove(), 2500);
  }

  private toggleHelp(show = !this.overlay): void {
    this.overlay?.remove();
    this.overlay = undefined;
    if (!show) return;
    const box = this.doc.createElement('div');
    box.className = 'help';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Shelfmark keys');
    const h = this.doc.createElement('h2');
    h.textContent = 'Shelfmark keys (switch off in the popup)';
    box.append(h);
    for (const b of KEYMAP) {
      const line = this.doc.createElement('div');
      const k = this.doc.createElement('kbd');
      k.textContent = b.key === 'Escape' ? 'Esc' : b.key;
      line.append(k, this.doc.createTextNode(b.label));
      box.append(line);
    }
    const host = this.styledHost('help', box);
    this.doc.documentElement.append(host);
    this.overlay = host;
  }

  /** A host element for `content` in its own shadow root with the chips' style (`kind` names it for HOST_ATTR). */
  private styledHost(kind: string, content: Element): HTMLElement {
    const host = this.doc.createElement('span');
    host.setAttribute(HOST_ATTR, kind);
    const shadow = host.attachShadow({ mode: this.shadowMode });
    const style = this.doc.createElement('style');
    style.textContent = CHIP_CSS;
    shadow.append(style, content);
    return host;
  }
}
