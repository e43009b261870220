import type { ShelfmarkDB } from '../storage/db';

/**
 * Decisions a feature keeps about papers (e.g. "not interested" dismissals) that should follow the
 * user to other browsers. A feature registers an adapter; sync stores each decision as an add-wins
 * set element `(kind, paperId, key)` in the `x` family and calls back to write what other devices
 * decided. Kinds are short words without spaces; keys are free text (may be empty).
 */
export interface SyncedDecision {
  kind: string;
  paperId: string;
  key: string;
}

export interface DecisionAdapter {
  kind: string;
  /** Every decision of this kind held locally. */
  read(db: ShelfmarkDB): Promise<Array<{ paperId: string; key: string }>>;
  /** Applies what other devices decided (inside the sync's write transaction when `tables` allow). */
  apply(db: ShelfmarkDB, added: Array<{ paperId: string; key: string }>, removed: Array<{ paperId: string; key: string }>): Promise<void>;
}

const adapters = new Map<string, DecisionAdapter>();

export function registerDecisionAdapter(a: DecisionAdapter): void {
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(a.kind)) throw new Error(`Bad decision kind "${a.kind}".`);
  adapters.set(a.kind, a);
}

export function decisionAdapters(): DecisionAdapter[] {
  return [...adapters.values()];
}
