import { browser } from 'wxt/browser';
import { SUPPORTED_MATCHES } from './hosts';

/**
 * Per-site opt-in for the generic adapter. Shelfmark's manifest only grants the supported
 * listing sites (lib/sites/hosts.ts); on any other site it runs only after the user granted
 * that origin from the popup (an optional host permission). Once granted, the listing content
 * script is registered for the origin, so it runs there on every later visit, and it runs at once
 * in the tabs already open there. Revoking the site unregisters it.
 *
 * - popup: `hasSite(origin)`, `requestSite(origin)` (from a click handler: browsers only show
 *   the permission prompt during a user gesture), `removeSite(origin)`.
 * - background: `watchSitePermissions()` once at startup. Registration lives in the background,
 *   not in the popup, because a popup may close while the prompt is open (Firefox) and because
 *   Firefox MV2 registrations vanish when the background restarts.
 */

/** The content script that marks listings; the same bundle serves the generic fallback. */
export const LISTING_SCRIPT = 'content-scripts/listing.js';
/** Id of the dynamic registration (MV3 `scripting` ids must be unique and stable). */
export const GENERIC_REGISTRATION_ID = 'shelfmark-generic';

/** The slice of the extension API this module needs, so tests can hand in a fake. */
export interface PermissionsApi {
  permissions: {
    contains(p: { origins?: string[] }): Promise<boolean>;
    request(p: { origins?: string[] }): Promise<boolean>;
    remove(p: { origins?: string[] }): Promise<boolean>;
    getAll(): Promise<{ origins?: string[] }>;
    onAdded: { addListener(cb: (p: { origins?: string[] }) => void): void };
    onRemoved: { addListener(cb: (p: { origins?: string[] }) => void): void };
  };
  runtime: { getManifest(): { manifest_version: number; content_scripts?: ManifestContentScript[] } };
  tabs: {
    query(q: { url?: string[] }): Promise<{ id?: number; url?: string }[]>;
    /** Firefox MV2 injection (MV3 uses scripting.executeScript). */
    executeScript?(tabId: number, details: { file?: string; code?: string }): Promise<unknown[]>;
  };
  scripting?: {
    executeScript(injection: { target: { tabId: number }; files?: string[]; func?: () => unknown }): Promise<{ result?: unknown }[]>;
    registerContentScripts(scripts: DynamicScript[]): Promise<void>;
    unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
    getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string }[]>;
  };
  contentScripts?: {
    register(options: {
      matches: string[];
      js?: { file: string }[];
      css?: { file: string }[];
      runAt?: 'document_start' | 'document_end' | 'document_idle';
    }): Promise<{ unregister(): Promise<void> }>;
  };
}

interface ManifestContentScript {
  matches?: string[];
  js?: string[];
  css?: string[];
  run_at?: string;
}

interface DynamicScript {
  id: string;
  matches: string[];
  js: string[];
  css?: string[];
  runAt?: 'document_start' | 'document_end' | 'document_idle';
  persistAcrossSessions?: boolean;
}

const defaultApi = (): PermissionsApi => browser as unknown as PermissionsApi;

/**
 * The match pattern for one site, from an origin or any URL on it ("https://example.org/x" →
 * "https://example.org/*"). Only http(s) sites can be granted; anything else is a clear error.
 */
export function sitePattern(originOrUrl: string): string {
  let url: URL;
  try {
    url = new URL(originOrUrl);
  } catch {
    throw new Error(`Not a web address: ${JSON.stringify(originOrUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Shelfmark can only be enabled on http(s) sites, not ${url.protocol}`);
  }
  // The port is left out: match patterns cannot name one, and they match every port.
  return `${url.protocol}//${url.hostname}/*`;
}

const escapeRe = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

function patternRegExp(pattern: string): RegExp {
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`Bad match pattern: ${pattern}`);
  const [, scheme, host, path] = m;
  const schemeRe = scheme === '*' ? 'https?' : scheme;
  const hostRe =
    host === '*' ? '[^/]+' : host!.startsWith('*.') ? `(?:[^/]+\\.)?${escapeRe(host!.slice(2))}` : escapeRe(host!);
  const pathRe = escapeRe(path!).replace(/\*/g, '.*');
  return new RegExp(`^${schemeRe}://${hostRe}(?::\\d+)?${pathRe}$`, 'i');
}

const supportedRes = SUPPORTED_MATCHES.map(patternRegExp);

/** Whether a page is covered by the built-in adapters (so there is nothing to grant). */
export function isSupportedSite(url: string): boolean {
  return supportedRes.some((re) => re.test(url));
}

/** Whether the user has enabled Shelfmark on this site (built-in sites count as enabled). */
export async function hasSite(originOrUrl: string, api: PermissionsApi = defaultApi()): Promise<boolean> {
  const pattern = sitePattern(originOrUrl);
  if (isSupportedSite(pattern.replace(/\*$/, ''))) return true;
  return api.permissions.contains({ origins: [pattern] });
}

/**
 * Ask the user to enable Shelfmark on a site. Call it straight from a click or key handler
 * (the browser refuses the prompt otherwise). Resolves to whether access was granted; the
 * background then registers the content script for the site (see watchSitePermissions).
 */
export async function requestSite(originOrUrl: string, api: PermissionsApi = defaultApi()): Promise<boolean> {
  const pattern = sitePattern(originOrUrl);
  if (isSupportedSite(pattern.replace(/\*$/, ''))) return true;
  // No await before request(): Firefox drops the user-gesture flag across an await.
  return api.permissions.request({ origins: [pattern] });
}

/** Turn Shelfmark off on a site the user enabled. Built-in sites cannot be removed (they are required). */
export async function removeSite(originOrUrl: string, api: PermissionsApi = defaultApi()): Promise<boolean> {
  const pattern = sitePattern(originOrUrl);
  if (isSupportedSite(pattern.replace(/\*$/, ''))) return false;
  return api.permissions.remove({ origins: [pattern] });
}

const supportedSet = new Set<string>(SUPPORTED_MATCHES);

/** The sites the user enabled, as match patterns (the built-in sites left out). */
export async function grantedSites(api: PermissionsApi = defaultApi()): Promise<string[]> {
  const { origins = [] } = await api.permissions.getAll();
  return origins.filter((o) => !supportedSet.has(o) && /^https?:\/\/[^*/]+\/\*$/.test(o)).toSorted();
}

type RunAt = 'document_start' | 'document_end' | 'document_idle';
const RUN_AT = new Set<string>(['document_start', 'document_end', 'document_idle']);

/** The listing content script as the build declared it (files and timing), reused for granted sites. */
function listingScriptFiles(api: PermissionsApi): { js: string[]; css: string[]; runAt: RunAt } {
  const entries = api.runtime.getManifest().content_scripts ?? [];
  const entry = entries.find((cs) => cs.js?.includes(LISTING_SCRIPT));
  const runAt = entry?.run_at && RUN_AT.has(entry.run_at) ? (entry.run_at as RunAt) : 'document_idle';
  return { js: entry?.js ?? [LISTING_SCRIPT], css: entry?.css ?? [], runAt };
}

// Firefox MV2: the handle of the current registration (registrations die with the background page).
let mv2Registration: { unregister(): Promise<void> } | undefined;
// Serializes syncs: onAdded can fire while a startup sync is still running.
let syncChain: Promise<unknown> = Promise.resolve();

/**
 * Make the generic registration match exactly the granted sites: one registration covering
 * all of them, replaced whenever the set changes. Returns the patterns now registered.
 */
export function syncSiteScripts(api: PermissionsApi = defaultApi()): Promise<string[]> {
  const run = async () => {
    const origins = await grantedSites(api);
    const { js, css, runAt } = listingScriptFiles(api);
    if (api.runtime.getManifest().manifest_version >= 3 && api.scripting) {
      const existing = await api.scripting.getRegisteredContentScripts({ ids: [GENERIC_REGISTRATION_ID] });
      if (existing.length) await api.scripting.unregisterContentScripts({ ids: [GENERIC_REGISTRATION_ID] });
      if (origins.length) {
        await api.scripting.registerContentScripts([
          {
            id: GENERIC_REGISTRATION_ID,
            matches: origins,
            js,
            ...(css.length ? { css } : {}),
            runAt,
            persistAcrossSessions: true,
          },
        ]);
      }
    } else if (api.contentScripts) {
      const previous = mv2Registration;
      mv2Registration = undefined;
      if (previous) await previous.unregister();
      if (origins.length) {
        mv2Registration = await api.contentScripts.register({
          matches: origins,
          js: js.map((file) => ({ file })),
          ...(css.length ? { css: css.map((file) => ({ file })) } : {}),
          runAt,
        });
      }
    } else {
      throw new Error('This browser offers no way to register content scripts');
    }
    return origins;
  };
  const next = syncChain.then(run, run);
  syncChain = next.catch(() => undefined);
  return next;
}

/** Whether a page already carries Shelfmark's marks (the script ran there before). */
function pageIsMarked(): boolean {
  return document.querySelector('[data-shelfmark-entry]') !== null;
}

/**
 * Runs the listing script in the tabs already open on newly granted sites, so the page the user
 * enabled Shelfmark on is marked at once, without a reload (registrations only apply to later
 * loads). A tab that is already marked (the site was enabled, revoked and enabled again while it
 * stayed open) is left alone. Returns the ids of the tabs injected into.
 */
export async function injectIntoOpenTabs(origins: string[], api: PermissionsApi = defaultApi()): Promise<number[]> {
  const sites = origins.filter((o) => !supportedSet.has(o) && /^https?:\/\/[^*/]+\/\*$/.test(o));
  if (!sites.length) return [];
  const { js } = listingScriptFiles(api);
  const tabs = await api.tabs.query({ url: sites });
  const injected: number[] = [];
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    const tabId = tab.id;
    try {
      if (api.runtime.getManifest().manifest_version >= 3 && api.scripting) {
        const [probe] = await api.scripting.executeScript({ target: { tabId }, func: pageIsMarked });
        if (probe?.result === true) continue;
        await api.scripting.executeScript({ target: { tabId }, files: js });
      } else if (api.tabs.executeScript) {
        const [marked] = await api.tabs.executeScript(tabId, {
          code: "document.querySelector('[data-shelfmark-entry]') !== null",
        });
        if (marked === true) continue;
        for (const file of js) await api.tabs.executeScript(tabId, { file: `/${file}` });
      } else {
        continue;
      }
      injected.push(tabId);
    } catch (err) {
      // A tab that navigated away or closed meanwhile: its next load gets the registered script.
      console.warn('Shelfmark: could not run on an open tab', tabId, err);
    }
  }
  return injected;
}

/**
 * Background wiring: register the content script for the granted sites now and whenever the
 * user grants or revokes one; on a grant, also run it in the tabs already open on that site.
 * Errors are logged, never thrown into the event loop.
 */
export function watchSitePermissions(api: PermissionsApi = defaultApi()): Promise<string[]> {
  const resync = () =>
    syncSiteScripts(api).catch((err: unknown) => {
      console.error('Shelfmark: site script sync failed', err);
      return [];
    });
  api.permissions.onAdded.addListener((added) => {
    void resync().then(() =>
      injectIntoOpenTabs(added.origins ?? [], api).catch((err: unknown) =>
        console.warn('Shelfmark: could not run on open tabs', err),
      ),
    );
  });
  api.permissions.onRemoved.addListener(() => void resync());
  return syncSiteScripts(api).catch((err: unknown) => {
    console.error('Shelfmark: site script sync failed', err);
    return [];
  });
}
