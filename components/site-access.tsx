import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { browser } from 'wxt/browser';
import { hasSite, isSupportedSite, removeSite, requestSite, type PermissionsApi } from '@/lib/sites/permissions';

export interface SiteAccessProps {
  /** The tab the popup is about. */
  tabId: number | undefined;
  /** The extension API (tests hand in a fake). */
  api?: PermissionsApi & { tabs: { get(id: number): Promise<{ url?: string }> } };
}

type State =
  | { kind: 'hidden' }
  | { kind: 'ready'; url: string; host: string; enabled: boolean }
  | { kind: 'error'; url: string; host: string; enabled: boolean; message: string };

/**
 * "Enable on this site": on a page outside the supported listing sites, Shelfmark reads nothing
 * until the user allows that one site (an optional host permission, asked by the browser). The
 * background then runs the listing script there, now and on later visits (lib/sites/permissions.ts).
 * Renders nothing on supported sites and on pages that are not web pages.
 */
export function SiteAccess({ tabId, api }: SiteAccessProps): JSX.Element | null {
  const ext = api ?? (browser as unknown as NonNullable<SiteAccessProps['api']>);
  const [state, setState] = useState<State>({ kind: 'hidden' });

  useEffect(() => {
    let live = true;
    if (tabId === undefined) return;
    (async () => {
      // The address is readable through activeTab (the user opened the popup on this tab).
      const { url } = await ext.tabs.get(tabId);
      if (!url || !/^https?:/.test(url) || isSupportedSite(url)) return;
      const enabled = await hasSite(url, ext);
      if (live) setState({ kind: 'ready', url, host: new URL(url).hostname, enabled });
    })().catch(() => {
      // No address (no activeTab grant, e.g. opened as a page): nothing to offer.
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tabId]);

  if (state.kind === 'hidden') return null;
  const { url, host, enabled } = state;

  const enable = () => {
    // requestSite is called synchronously in the click: the browser shows its prompt only
    // during a user gesture.
    requestSite(url, ext).then(
      (granted) =>
        setState(
          granted
            ? { kind: 'ready', url, host, enabled: true }
            : { kind: 'error', url, host, enabled: false, message: 'Not enabled: the browser did not grant access.' },
        ),
      (err: unknown) => setState({ kind: 'error', url, host, enabled: false, message: String(err) }),
    );
  };
  const disable = () => {
    removeSite(url, ext).then(
      () => setState({ kind: 'ready', url, host, enabled: false }),
      (err: unknown) => setState({ kind: 'error', url, host, enabled: true, message: String(err) }),
    );
  };

  return (
    <section class="site-access" aria-label="Site access">
      {enabled ? (
        <p>
          Shelfmark marks papers on <strong>{host}</strong> because you enabled it.{' '}
          <button type="button" onClick={disable}>
            Turn off on {host}
          </button>
        </p>
      ) : (
        <p>
          Shelfmark does not read <strong>{host}</strong>. It can look for papers here (citation data, arXiv and DOI
          links) if you allow this one site.{' '}
          <button type="button" class="primary" onClick={enable}>
            Enable on {host}
          </button>
        </p>
      )}
      {state.kind === 'error' && <p role="alert">{state.message}</p>}
    </section>
  );
}
