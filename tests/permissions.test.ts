import { describe, expect, it, beforeEach } from 'vitest';
import {
  GENERIC_REGISTRATION_ID,
  LISTING_SCRIPT,
  grantedSites,
  hasSite,
  injectIntoOpenTabs,
  isSupportedSite,
  removeSite,
  requestSite,
  sitePattern,
  syncSiteScripts,
  watchSitePermissions,
  type PermissionsApi,
} from '../lib/sites/permissions';
import { SCHOLAR_HOSTNAMES, SUPPORTED_MATCHES, isScholarHostname } from '../lib/sites/hosts';

type Listener = (p: { origins?: string[] }) => void;

/** A small in-memory model of the permissions + registration APIs of one browser. */
interface FakeTab {
  id: number;
  url: string;
  marked: boolean;
  injected: string[];
}

function fakeApi(manifestVersion: 2 | 3, opts: { userAnswers?: boolean; tabs?: FakeTab[] } = {}) {
  const granted = new Set<string>(SUPPORTED_MATCHES);
  const openTabs = opts.tabs ?? [];
  const tabById = (id: number) => {
    const tab = openTabs.find((t) => t.id === id);
    if (!tab) throw new Error(`No tab with id: ${id}`);
    // Like the browsers: scripts run only where the extension has host access.
    if (![...granted].some((g) => tab.url.startsWith(g.replace(/\*$/, '')))) throw new Error('Missing host permission for the tab');
    return tab;
  };
  const added: Listener[] = [];
  const removed: Listener[] = [];
  const mv3Scripts = new Map<string, { id: string; matches: string[]; js: string[]; css?: string[]; runAt?: string }>();
  const mv2Scripts: { matches: string[]; js: string[]; runAt?: string; alive: boolean }[] = [];
  const requests: string[][] = [];
  const api: PermissionsApi = {
    permissions: {
      contains: async ({ origins = [] }) => origins.every((o) => granted.has(o)),
      request: async ({ origins = [] }) => {
        requests.push(origins);
        if (opts.userAnswers === false) return false;
        const fresh = origins.filter((o) => !granted.has(o));
        fresh.forEach((o) => granted.add(o));
        if (fresh.length) added.forEach((cb) => cb({ origins: fresh }));
        return true;
      },
      remove: async ({ origins = [] }) => {
        const gone = origins.filter((o) => granted.delete(o));
        if (gone.length) removed.forEach((cb) => cb({ origins: gone }));
        return gone.length > 0;
      },
      getAll: async () => ({ origins: [...granted] }),
      onAdded: { addListener: (cb) => added.push(cb) },
      onRemoved: { addListener: (cb) => removed.push(cb) },
    },
    tabs: {
      query: async ({ url = [] }) =>
        openTabs.filter((t) => url.some((u) => t.url.startsWith(u.replace(/\*$/, '')))).map(({ id, url: u }) => ({ id, url: u })),
      ...(manifestVersion === 2
        ? {
            executeScript: async (tabId: number, d: { file?: string; code?: string }) => {
              const tab = tabById(tabId);
              if (d.code) return [tab.marked];
              tab.injected.push(d.file!);
              tab.marked = true;
              return [undefined];
            },
          }
        : {}),
    },
    runtime: {
      getManifest: () => ({
        manifest_version: manifestVersion,
        content_scripts: [
          { matches: [...SUPPORTED_MATCHES], js: [LISTING_SCRIPT], css: ['content-scripts/listing.css'], run_at: 'document_end' },
        ],
      }),
    },
  };
  if (manifestVersion === 3) {
    api.scripting = {
      executeScript: async ({ target, files, func }) => {
        const tab = tabById(target.tabId);
        if (func) return [{ result: tab.marked }];
        tab.injected.push(...(files ?? []));
        tab.marked = true;
        return [{ result: undefined }];
      },
      registerContentScripts: async (scripts) => {
        for (const s of scripts) {
          if (mv3Scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          mv3Scripts.set(s.id, s);
        }
      },
      unregisterContentScripts: async (filter) => {
        for (const id of filter?.ids ?? [...mv3Scripts.keys()]) {
          if (!mv3Scripts.delete(id)) throw new Error(`Nonexistent script ID '${id}'`);
        }
      },
      getRegisteredContentScripts: async (filter) =>
        [...mv3Scripts.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id)),
    };
  } else {
    api.contentScripts = {
      register: async (o) => {
        const rec = { matches: o.matches, js: (o.js ?? []).map((f) => f.file), runAt: o.runAt, alive: true };
        mv2Scripts.push(rec);
        return {
          unregister: async () => {
            rec.alive = false;
          },
        };
      },
    };
  }
  return { api, granted, mv3Scripts, mv2Scripts, requests };
}

/** Lets queued listener work (resync after onAdded/onRemoved) finish. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
};

describe('host lists', () => {
  it('names every Scholar domain explicitly and recognizes them', () => {
    for (const host of ['scholar.google.com', 'scholar.google.co.uk', 'scholar.google.de', 'scholar.google.co.jp']) {
      expect(SCHOLAR_HOSTNAMES).toContain(host);
      expect(isScholarHostname(host)).toBe(true);
    }
    expect(isScholarHostname('scholar.google.evil.com')).toBe(false);
    expect(isScholarHostname('google.com')).toBe(false);
    expect(new Set(SCHOLAR_HOSTNAMES).size).toBe(SCHOLAR_HOSTNAMES.length);
    expect(SCHOLAR_HOSTNAMES.length).toBeGreaterThan(150);
  });

  it('contains only https patterns for named hosts: no wildcard hosts, no <all_urls>', () => {
    for (const p of SUPPORTED_MATCHES) expect(p).toMatch(/^https:\/\/[a-z0-9.-]+\/\*$/);
  });
});

describe('sitePattern / isSupportedSite', () => {
  it('turns an origin or URL into a one-site pattern, ports dropped', () => {
    expect(sitePattern('https://example.org')).toBe('https://example.org/*');
    expect(sitePattern('http://Lab.Example.org:8080/papers?q=1')).toBe('http://lab.example.org/*');
  });

  it('rejects what cannot be granted with a clear error', () => {
    expect(() => sitePattern('not a url')).toThrow(/Not a web address/);
    expect(() => sitePattern('file:///home/me/papers.html')).toThrow(/only be enabled on http\(s\)/);
    expect(() => sitePattern('chrome://extensions')).toThrow(/http\(s\)/);
  });

  it('knows the built-in sites', () => {
    expect(isSupportedSite('https://arxiv.org/list/cs.LG/new')).toBe(true);
    expect(isSupportedSite('https://scholar.google.fr/scholar?q=x')).toBe(true);
    expect(isSupportedSite('https://example.org/papers')).toBe(false);
    expect(isSupportedSite('http://arxiv.org/list/cs.LG/new')).toBe(false);
    expect(isSupportedSite('https://arxiv.org.evil.com/')).toBe(false);
  });
});

describe.each([3, 2] as const)('site permissions, MV%i', (mv) => {
  let f: ReturnType<typeof fakeApi>;
  beforeEach(() => {
    f = fakeApi(mv);
  });

  it('grants, registers the listing script, and unregisters on removal', async () => {
    await watchSitePermissions(f.api);
    expect(await hasSite('https://lab.example.org/pubs', f.api)).toBe(false);
    expect(await grantedSites(f.api)).toEqual([]);

    expect(await requestSite('https://lab.example.org/pubs', f.api)).toBe(true);
    expect(f.requests).toEqual([['https://lab.example.org/*']]);
    await settle();
    expect(await hasSite('https://lab.example.org', f.api)).toBe(true);
    expect(await grantedSites(f.api)).toEqual(['https://lab.example.org/*']);

    const live = () =>
      mv === 3
        ? [...f.mv3Scripts.values()].map((s) => ({ matches: s.matches, js: s.js }))
        : f.mv2Scripts.filter((s) => s.alive).map((s) => ({ matches: s.matches, js: s.js }));
    expect(live()).toEqual([{ matches: ['https://lab.example.org/*'], js: [LISTING_SCRIPT] }]);
    if (mv === 3) {
      expect(f.mv3Scripts.get(GENERIC_REGISTRATION_ID)).toMatchObject({ css: ['content-scripts/listing.css'], runAt: 'document_end' });
    } else {
      expect(f.mv2Scripts[0]).toMatchObject({ runAt: 'document_end' });
    }

    await requestSite('https://other.example.net/', f.api);
    await settle();
    expect(live()).toEqual([
      { matches: ['https://lab.example.org/*', 'https://other.example.net/*'], js: [LISTING_SCRIPT] },
    ]);

    expect(await removeSite('https://lab.example.org/', f.api)).toBe(true);
    await removeSite('https://other.example.net/', f.api);
    await settle();
    expect(live()).toEqual([]);
  });

  it('does not ask for built-in sites and never removes them', async () => {
    expect(await requestSite('https://arxiv.org/abs/1706.03762', f.api)).toBe(true);
    expect(f.requests).toEqual([]);
    expect(await hasSite('https://dblp.org', f.api)).toBe(true);
    expect(await removeSite('https://dblp.org', f.api)).toBe(false);
    expect(f.granted.has('https://dblp.org/*')).toBe(true);
  });

  it('registers nothing when the user declines', async () => {
    const declined = fakeApi(mv, { userAnswers: false });
    await watchSitePermissions(declined.api);
    expect(await requestSite('https://lab.example.org', declined.api)).toBe(false);
    await settle();
    expect(declined.mv3Scripts.size + declined.mv2Scripts.length).toBe(0);
  });

  it('runs the script at once in tabs already open on a newly granted site, once', async () => {
    const tabs: FakeTab[] = [
      { id: 1, url: 'https://lab.example.org/pubs', marked: false, injected: [] },
      { id: 2, url: 'https://other.example.net/', marked: false, injected: [] },
      { id: 3, url: 'https://lab.example.org/already', marked: true, injected: [] },
    ];
    const g = fakeApi(mv, { tabs });
    await watchSitePermissions(g.api);
    await requestSite('https://lab.example.org/pubs', g.api);
    await settle();
    const file = mv === 3 ? LISTING_SCRIPT : `/${LISTING_SCRIPT}`;
    expect(tabs.map((t) => t.injected)).toEqual([[file], [], []]);
    // Enabled again later (revoked meanwhile): the page is marked already, nothing runs twice.
    await removeSite('https://lab.example.org', g.api);
    await requestSite('https://lab.example.org', g.api);
    await settle();
    expect(tabs[0]!.injected).toEqual([file]);
    // Built-in sites need no injection: their script is in the manifest.
    expect(await injectIntoOpenTabs(['https://arxiv.org/*'], g.api)).toEqual([]);
  });

  it('concurrent syncs leave exactly one registration', async () => {
    f.granted.add('https://a.example/*');
    await Promise.all([syncSiteScripts(f.api), syncSiteScripts(f.api), syncSiteScripts(f.api)]);
    const count = mv === 3 ? f.mv3Scripts.size : f.mv2Scripts.filter((s) => s.alive).length;
    expect(count).toBe(1);
  });
});
