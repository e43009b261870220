/**
 * Reads Dexie's `storagemutated` parts: which primary keys of a table a committed write touched.
 *
 * Parts map "idb://<db>/<table>/<index>" to a RangeSet, a binary tree of {from, to, l, r}
 * nodes (a plain object when it came from another context over BroadcastChannel). The primary
 * key part has the empty index name.
 */

interface RangeNode {
  from?: unknown;
  to?: unknown;
  l?: RangeNode | null;
  r?: RangeNode | null;
}

/** Returns the changed string keys, 'all' for ranges (clear, deleteRange, bulk writes), or null if untouched. */
export function changedKeys(parts: Record<string, unknown>, dbName: string, table: string): string[] | 'all' | null {
  const prefix = `idb://${dbName}/${table}/`;
  const pk = parts[prefix] as RangeNode | undefined;
  if (!pk) {
    // Another index of the table changed without its primary-key part: treat as a full change.
    return Object.keys(parts).some((k) => k.startsWith(prefix)) ? 'all' : null;
  }
  const out: string[] = [];
  const walk = (n: RangeNode | null | undefined): boolean => {
    if (!n || n.from === undefined) return true;
    if (typeof n.from !== 'string' || n.from !== n.to) return false;
    if (!walk(n.l)) return false;
    out.push(n.from);
    return walk(n.r);
  };
  if (!walk(pk)) return 'all';
  return out.length ? out : null;
}
