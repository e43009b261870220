/**
 * Phase timings of an import as User Timing measures (`shelfmark:import:parse`, `…:match`,
 * `…:write`, `…:tail`, `…:total`), so a bench or the DevTools performance panel can read where
 * the time went without the import code knowing about either. No-ops where `performance.measure`
 * is missing.
 *
 * A BibTeX import reads, matches and writes at once (lib/import/apply.ts), so parse and match are
 * busy times (the sum of their slices, from the phase's first slice), write is the span from the
 * first row handed to IndexedDB to the commit, and tail what is left after the last record was
 * matched: the phases overlap and add up to more than the total.
 */
export type ImportPhase = 'parse' | 'match' | 'write' | 'tail' | 'total';

export interface PhaseTimer {
  start(p: ImportPhase): void;
  end(p: ImportPhase): void;
  /** Adds a slice of busy time to a phase; flush() records the sum. */
  add(p: ImportPhase, ms: number): void;
  /** Records the summed phases. */
  flush(): void;
}

export function phaseTimer(): PhaseTimer {
  const perf = globalThis.performance;
  const now = () => perf?.now() ?? 0;
  const starts = new Map<ImportPhase, number>();
  const busy = new Map<ImportPhase, { from: number; ms: number }>();
  const measure = (p: ImportPhase, start: number, duration: number) => {
    if (typeof perf?.measure !== 'function') return;
    try {
      perf.measure(`shelfmark:import:${p}`, { start, duration });
    } catch {
      // Timing is advisory: an environment without User Timing Level 3 just records nothing.
    }
  };
  return {
    start(p) {
      starts.set(p, now());
    },
    end(p) {
      const s = starts.get(p);
      if (s !== undefined) measure(p, s, now() - s);
    },
    add(p, ms) {
      const b = busy.get(p);
      if (b) b.ms += ms;
      else busy.set(p, { from: now() - ms, ms });
    },
    flush() {
      for (const [p, b] of busy) measure(p, b.from, b.ms);
      busy.clear();
    },
  };
}
