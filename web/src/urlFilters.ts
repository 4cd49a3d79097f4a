// A list page's filters live in its URL (deep links, reloads and Back keep
// them) under the same names the API takes. One way to read and write
// them, for every list that filters (Inventory, Contacts).

export type UrlFilters<K extends string> = Partial<Record<K, string>>;

/** Whether `s` is one of `keys`. */
export function isKeyOf<K extends string>(keys: readonly K[], s: string | null | undefined): s is K {
  return !!s && (keys as readonly string[]).includes(s);
}

/** The filters a URL's query names (trimmed, empty ones left out). */
export function readUrlFilters<K extends string>(keys: readonly K[], params: URLSearchParams): UrlFilters<K> {
  const f: UrlFilters<K> = {};
  for (const k of keys) {
    const v = params.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

/** The query for `f`, always in the order of `keys` (equal filters, equal URLs). */
export function urlFilterParams<K extends string>(keys: readonly K[], f: UrlFilters<K>): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of keys) {
    const v = f[k]?.trim();
    if (v) p.set(k, v);
  }
  return p;
}
