// The IANA time zones a workspace can choose, with their UTC offsets now,
// from the browser's own list (Intl.supportedValuesOf).

/** Old names some browsers still list, and the names the zone database uses now. */
const RENAMED: Record<string, string> = {
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
};

/** The name the zone database uses now for `zone` (`Europe/Kiev` → `Europe/Kyiv`). */
export function canonicalZone(zone: string): string {
  return RENAMED[zone] ?? zone;
}

/** Whether this browser can show times in `zone`. */
export function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone (the default for a new workspace). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface Zone {
  name: string;
  /** `UTC+02:00` now (summer time included). */
  offset: string;
  /** Minutes east of UTC now, for sorting. */
  minutes: number;
  /** Lower-case words to match a search against ("europe kyiv utc+02:00"). */
  search: string;
}

function offsetOf(name: string, now: Date): { offset: string; minutes: number } {
  const part = new Intl.DateTimeFormat('en', { timeZone: name, timeZoneName: 'longOffset' })
    .formatToParts(now)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
  if (!m) return { offset: 'UTC+00:00', minutes: 0 };
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return { offset: `UTC${m[1]}${m[2]}:${m[3]}`, minutes };
}

/** Every zone this browser knows, plus `extra` ones (the saved zone), west to east, then by name. */
export function listZones(extra: (string | null | undefined)[] = [], now = new Date()): Zone[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const names = new Set<string>();
  for (const n of [...(intl.supportedValuesOf?.('timeZone') ?? []), 'UTC', browserZone(), ...extra]) {
    if (!n) continue;
    const name = RENAMED[n] ?? n;
    if (knownZone(name)) names.add(name);
  }
  return [...names]
    .map((name) => {
      const { offset, minutes } = offsetOf(name, now);
      return { name, offset, minutes, search: `${name.replace(/[_/]/g, ' ')} ${offset}`.toLowerCase() };
    })
    .sort((a, b) => a.minutes - b.minutes || a.name.localeCompare(b.name));
}

/** The zones whose name or offset contains every word of `query`. */
export function searchZones(zones: Zone[], query: string): Zone[] {
  const words = query.toLowerCase().replace(/[_/]/g, ' ').split(/\s+/).filter(Boolean);
  if (!words.length) return zones;
  return zones.filter((z) => words.every((w) => z.search.includes(w)));
}
