import { browser } from 'wxt/browser';
import { adapterFor } from '@/lib/sites';
import { SUPPORTED_MATCHES, LISTING_HOSTS, isScholarHostname } from '@/lib/sites/hosts';
import { parseContentMessage, sendToBackground } from '@/lib/messaging/messages';
import { Marker } from './marker';
import { TriageUi } from './triage';

/** Whether the page is one of the built-in listing sites (else the user enabled it: generic fallback allowed). */
function isBuiltInSite(url: URL): boolean {
  if (isScholarHostname(url.hostname)) return true;
  return LISTING_HOSTS.some((p) => new URL(p.replace('/*', '/')).hostname === url.hostname);
}

// Badges live in closed shadow roots: the page cannot read the tags and lists they show.
// Test builds (WXT_SHELFMARK_TEST=1) open them so end-to-end tests can read what a user sees.
const SHADOW_MODE: ShadowRootMode = import.meta.env.WXT_SHELFMARK_TEST === '1' ? 'open' : 'closed';

export default defineContentScript({
  matches: [...SUPPORTED_MATCHES],
  // document_start: the script is loaded, compiled and initialized while the page is still
  // arriving, and the first scan runs the moment the DOM is parsed (DOMContentLoaded) — not after
  // the browser has laid out and painted the whole page, which is when document_end scripts get
  // their turn (40–100 ms on a 2000-row listing). Rows rendered later are picked up by the
  // mutation observer.
  runAt: 'document_start',
  main(ctx) {
    const start = (): void => {
      // Benchmark mark (timing only): when the script's work starts (the DOM is parsed).
      try {
        performance.mark('shelfmark:main');
      } catch {
        // No performance timeline.
      }
      const url = new URL(location.href);
      const adapter = adapterFor(url, { allowFallback: !isBuiltInSite(url) });
      if (!adapter) return;
      // Seen / dismissed / suggested tags and keyboard triage (./triage.ts).
      const triage = new TriageUi(document, sendToBackground, SHADOW_MODE);
      const marker = new Marker({
        doc: document,
        adapter,
        send: sendToBackground,
        shadowMode: SHADOW_MODE,
        href: () => location.href,
        onApplied: triage.applied,
        onBadge: triage.badgeMounted,
      });
      marker.start();
      triage.start(marker);
      // SPA navigation (Hugging Face, Semantic Scholar, OpenReview): rescan; a new address resets the page.
      ctx.addEventListener(window, 'wxt:locationchange', () => marker.schedule());

      const onMessage = (raw: unknown, sender: { id?: string }) => {
        if (sender.id !== browser.runtime.id) return undefined;
        const msg = parseContentMessage(raw);
        if (!msg) return undefined;
        if (msg.type === 'results') {
          marker.apply(msg.results);
          return undefined;
        }
        return Promise.resolve(marker.entriesForResync());
      };
      browser.runtime.onMessage.addListener(onMessage);
      ctx.onInvalidated(() => {
        browser.runtime.onMessage.removeListener(onMessage);
        marker.stop();
        triage.stop();
      });
    };
    if (document.readyState === 'loading') {
      ctx.addEventListener(document, 'DOMContentLoaded', start, { once: true });
    } else {
      start();
    }
  },
});
