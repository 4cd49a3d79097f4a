// Keeps the translations honest: every text exists in every language (with
// the plural forms that language needs and the same placeholders and tags),
// and a Ukrainian text is not the English one copied over.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NAMESPACES } from '../i18n';

type Tree = { [k: string]: string | string[] | Tree };

const files = import.meta.glob<Tree>('./*/*.json', { eager: true, import: 'default' });

function load(lang: string, ns: string): Tree {
  const f = files[`./${lang}/${ns}.json`];
  if (!f) throw new Error(`missing file locales/${lang}/${ns}.json`);
  return f;
}

/** Every text as "a.b.c" → value. */
function flatten(t: Tree, prefix = '', out = new Map<string, string | string[]>()): Map<string, string | string[]> {
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' || Array.isArray(v)) out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Texts by key without plural suffixes, each with the plural forms it has. */
function byBase(flat: Map<string, string | string[]>) {
  const out = new Map<string, { forms: Set<string>; values: string[] }>();
  for (const [key, v] of flat) {
    const m = PLURAL.exec(key);
    const base = m ? key.slice(0, m.index) : key;
    const e = out.get(base) ?? { forms: new Set<string>(), values: [] };
    if (m) e.forms.add(m[1]);
    e.values.push(...(Array.isArray(v) ? v : [v]));
    out.set(base, e);
  }
  return out;
}

const placeholders = (values: string[]) => [...new Set(values.flatMap((v) => v.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []))].sort();
const tags = (values: string[]) => [...new Set(values.flatMap((v) => v.match(/<\/?[a-z]+\s*\/?>/g) ?? []))].sort();

/**
 * Texts a translation may keep as they are: names and codes, not words
 * (the brand, file and message kinds known by these names, a command).
 */
const SAME_IN_EVERY_LANGUAGE = new Set(['Cartie', 'C', '404', 'GIF', '/start', 'VIN', 'OpenStreetMap']);

/** A text with no letters outside its placeholders and tags (e.g. "{{page}} · {{brand}}") is not a translation either way. */
const hasWords = (v: string) => /\p{L}/u.test(v.replace(/\{\{[^}]*\}\}/g, '').replace(/<[^>]*>/g, ''));

describe('translations', () => {
  const en = 'en';
  for (const ns of NAMESPACES) {
    describe(ns, () => {
      const english = byBase(flatten(load(en, ns)));
      for (const lang of LANGUAGES) {
        const texts = byBase(flatten(load(lang, ns)));
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;

        it(`${lang} has exactly the keys English has`, () => {
          expect([...texts.keys()].sort()).toEqual([...english.keys()].sort());
        });

        it(`${lang} has every plural form its language needs, and only those`, () => {
          for (const [key, { forms }] of texts) {
            if (forms.size === 0) continue;
            expect([...forms].sort(), `${ns}:${key}`).toEqual([...categories].sort());
          }
        });

        it(`${lang} keeps the placeholders and tags of each English text`, () => {
          for (const [key, { values }] of texts) {
            const source = english.get(key);
            if (!source) continue;
            expect(placeholders(values), `${ns}:${key}`).toEqual(placeholders(source.values));
            expect(tags(values), `${ns}:${key}`).toEqual(tags(source.values));
          }
        });

        if (lang === en) continue;
        it(`${lang} translates instead of copying the English`, () => {
          const copied: string[] = [];
          for (const [key, { values }] of texts) {
            const source = english.get(key);
            if (!source) continue;
            values.forEach((v, i) => {
              if (v === source.values[i] && hasWords(v) && !SAME_IN_EVERY_LANGUAGE.has(v)) copied.push(`${ns}:${key} = ${v}`);
            });
          }
          expect(copied).toEqual([]);
        });
      }
    });
  }
});
