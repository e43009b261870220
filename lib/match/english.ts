/**
 * The English dictionary the background's matcher uses to tell typos from real-word edits:
 * Hunspell's en_US word list as the `dictionary-en` package ships it (SCOWL-based, maintained by
 * wooorm), read as text and looked up with its affix rules (lib/match/hunspell.ts). Parsed once,
 * on first use.
 */
// The package exports only a Node entry that reads these files with fs; the files themselves
// are what an extension bundle can carry.
import aff from '../../node_modules/dictionary-en/index.aff?raw';
import dic from '../../node_modules/dictionary-en/index.dic?raw';
import { Hunspell } from './hunspell';
import type { MatchOptions } from './index';

let shared: Hunspell | undefined;

export function englishWords(): Hunspell {
  shared ??= new Hunspell(aff, dic);
  return shared;
}

/** Options for the background's MatchIndex. */
export function matchOptions(): MatchOptions {
  return { english: englishWords() };
}
