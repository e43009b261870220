/**
 * Phase timings of an import as User Timing measures (`shelfmark:import:parse`, `…:match`,
 * `…:write`, `…:total`), so a bench or the DevTools performance panel can read where the time
 * went without the import code knowing about either. No-ops where `performance.measure` is missing.
 */
export type ImportPhase = 'parse' | 'match' | 'write' | 'total';

export function phaseTimer(): { start(p: ImportPhase): void; end(p: ImportPhase): void } {
  const starts = new Map<ImportPhase, number>();
  const perf = globalThis.performance;
  return {
    start(p) {
      starts.set(p, perf?.now() ?? 0);
    },
    end(p) {
      const s = starts.get(p);
      if (s === undefined || typeof perf?.measure !== 'function') return;
      try {
        perf.measure(`shelfmark:import:${p}`, { start: s, end: perf.now() });
      } catch {
        // Timing is advisory: an environment without User Timing Level 3 just records nothing.
      }
    },
  };
}
