/**
 * Is this an English word? A lookup in a Hunspell dictionary (stems with affix flags, as the
 * `dictionary-en` package ships them), done the way Hunspell checks a word: strip one prefix
 * and/or one suffix that a rule allows, and look the stem up with the rule's flag. Nothing is
 * expanded up front: ~50k stems stay ~50k map entries, not the ~150k words they generate.
 */

interface Affix {
  flag: string;
  /** Characters the rule removed from the stem ('' for none). */
  strip: string;
  /** Characters the rule added. */
  add: string;
  /** Condition on the stem's end (suffix) or start (prefix). */
  cond: RegExp;
  /** May combine with an affix of the other kind. */
  cross: boolean;
}

export class Hunspell {
  private readonly stems = new Map<string, string>();
  private readonly prefixes: Affix[] = [];
  private readonly suffixes: Affix[] = [];

  constructor(aff: string, dic: string) {
    const cross = new Map<string, boolean>();
    for (const line of aff.split('\n')) {
      const f = line.trim().split(/\s+/);
      if ((f[0] !== 'PFX' && f[0] !== 'SFX') || f.length < 4) continue;
      const kind = f[0];
      const flag = f[1]!;
      if (f.length === 4) {
        // Header: "SFX S Y 4" — flag, cross-product allowed, rule count.
        cross.set(kind + flag, f[2] === 'Y');
        continue;
      }
      const strip = f[2] === '0' ? '' : f[2]!;
      const add = (f[3] === '0' ? '' : f[3]!).split('/')[0]!;
      const c = f[4] ?? '.';
      let cond: RegExp;
      try {
        cond = new RegExp(kind === 'SFX' ? `${c}$` : `^${c}`);
      } catch {
        continue; // a condition this parser cannot read is skipped, not fatal
      }
      const rule: Affix = { flag, strip, add, cond, cross: cross.get(kind + flag) ?? false };
      (kind === 'SFX' ? this.suffixes : this.prefixes).push(rule);
    }
    const lines = dic.split('\n');
    // The first line is the stem count.
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      const slash = line.indexOf('/');
      const word = (slash < 0 ? line : line.slice(0, slash)).toLowerCase();
      const flags = slash < 0 ? '' : line.slice(slash + 1);
      this.stems.set(word, (this.stems.get(word) ?? '') + flags);
    }
  }

  /** Number of stems. */
  get size(): number {
    return this.stems.size;
  }

  has(word: string): boolean {
    if (this.stems.has(word)) return true;
    if (this.withSuffix(word, undefined)) return true;
    for (const p of this.prefixes) {
      if (!word.startsWith(p.add) || word.length <= p.add.length) continue;
      const stem = p.strip + word.slice(p.add.length);
      if (!p.cond.test(stem)) continue;
      if (this.stems.get(stem)?.includes(p.flag)) return true;
      if (p.cross && this.withSuffix(stem, p.flag)) return true;
    }
    return false;
  }

  /** `word` is a stem plus one suffix (whose stem also carries `prefixFlag`, when given). */
  private withSuffix(word: string, prefixFlag: string | undefined): boolean {
    for (const s of this.suffixes) {
      if (!word.endsWith(s.add) || word.length <= s.add.length) continue;
      if (prefixFlag && !s.cross) continue;
      const stem = word.slice(0, word.length - s.add.length) + s.strip;
      if (!s.cond.test(stem)) continue;
      const flags = this.stems.get(stem);
      if (flags?.includes(s.flag) && (!prefixFlag || flags.includes(prefixFlag))) return true;
    }
    return false;
  }
}
