import { aclAnthology } from './acl-anthology';
import { arxiv } from './arxiv';
import { cvf } from './cvf';
import { dblp } from './dblp';
import { generic } from './generic';
import { huggingface } from './huggingface';
import { neuripsIclr } from './neurips-iclr';
import { ojs } from './ojs';
import { openreview } from './openreview';
import { paperswithcode } from './paperswithcode';
import { pmlr } from './pmlr';
import { pubmed } from './pubmed';
import { scholar } from './scholar';
import { semanticscholar } from './semanticscholar';
import type { SiteAdapter } from './types';

// The registry: an explicit, ordered list. The first adapter whose `matches` accepts the URL
// handles the page; the generic fallback comes last and only runs where the user enabled it.
export const ADAPTERS: SiteAdapter[] = [
  openreview,
  dblp,
  arxiv,
  scholar,
  huggingface,
  semanticscholar,
  paperswithcode,
  aclAnthology,
  neuripsIclr,
  pmlr,
  cvf,
  ojs,
  pubmed,
  // The generic fallback stays last (add dedicated adapters above this line).
  generic,
];

export interface AdapterForOptions {
  /** Also consider fallback adapters (the generic one); only where the user enabled it. */
  allowFallback?: boolean;
  adapters?: SiteAdapter[];
}

/**
 * The adapter for `url`: the first dedicated adapter that claims it, else (only when
 * `allowFallback` is set) the first fallback that does. The second argument may still be a
 * plain adapter list, as before.
 */
export function adapterFor(
  url: URL,
  adaptersOrOptions: SiteAdapter[] | AdapterForOptions = ADAPTERS,
): SiteAdapter | undefined {
  const opts: AdapterForOptions = Array.isArray(adaptersOrOptions)
    ? { adapters: adaptersOrOptions }
    : adaptersOrOptions;
  const adapters = opts.adapters ?? ADAPTERS;
  const claims = (a: SiteAdapter): boolean => {
    try {
      return a.matches(url);
    } catch {
      return false;
    }
  };
  return (
    adapters.find((a) => !a.fallback && claims(a)) ??
    (opts.allowFallback ? adapters.find((a) => a.fallback === true && claims(a)) : undefined)
  );
}
