import { ImportError } from './types';

/** 50 MB: far above any real library, low enough that a wrong file cannot freeze the tab for minutes. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The size and emptiness checks every format gets before parsing. */
export function checkText(text: string): void {
  if (text.length > MAX_IMPORT_BYTES) throw new ImportError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  if (!text.trim()) throw new ImportError('The file is empty.');
}
