import { describe, expect, it } from 'vitest';
import { listZones, searchZones } from './zones';

describe('time zones', () => {
  const winter = new Date('2025-01-15T12:00:00Z');
  const zones = listZones([], winter);

  it('lists the browser zones with their offsets, west to east, under their current names', () => {
    const kyiv = zones.find((z) => z.name === 'Europe/Kyiv');
    expect(kyiv?.offset).toBe('UTC+02:00');
    expect(zones.some((z) => z.name === 'Europe/Kiev')).toBe(false);
    expect(zones.find((z) => z.name === 'UTC')?.offset).toBe('UTC+00:00');
    const minutes = zones.map((z) => z.minutes);
    expect([...minutes].sort((a, b) => a - b)).toEqual(minutes);
  });

  it('finds zones by city words or offset', () => {
    expect(searchZones(zones, 'kyiv').map((z) => z.name)).toEqual(['Europe/Kyiv']);
    expect(searchZones(zones, 'new york').map((z) => z.name)).toContain('America/New_York');
    expect(searchZones(zones, '+02:00').every((z) => z.offset === 'UTC+02:00')).toBe(true);
    expect(searchZones(zones, '')).toHaveLength(zones.length);
    expect(searchZones(zones, 'no such place')).toEqual([]);
  });

  it('keeps a saved zone even when the browser does not list it', () => {
    expect(listZones(['Europe/Kyiv', 'Not/AZone'], winter).filter((z) => z.name === 'Europe/Kyiv')).toHaveLength(1);
    expect(listZones(['Not/AZone'], winter).some((z) => z.name === 'Not/AZone')).toBe(false);
  });
});
