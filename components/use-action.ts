import { useState } from 'preact/hooks';

/** What an error says to the user: its message, or the thrown value as text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface ActionState {
  /** True while an action runs (buttons disable themselves on it). */
  busy: boolean;
  /** The last action's error message; cleared when the next one starts. */
  error: string;
  /** Runs `fn`, showing busy meanwhile and its error after; resolves to whether it succeeded (never rejects). */
  run(fn: () => unknown): Promise<boolean>;
}

/** The busy flag and error message of a view's actions (tag editor, list picker, merge, export…). */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function run(fn: () => unknown): Promise<boolean> {
    setBusy(true);
    setError('');
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}
