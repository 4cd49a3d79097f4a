import { describe, expect, it } from 'vitest';
import { filtersOfSegment, sameFilters, segmentFilter } from './filters';

describe('segment filters', () => {
  it('turn the list URL filters into a segment filter and back, without the search text', () => {
    const applied = { q: 'ann', tag: 'Hot lead', bot_id: '12', blocked: 'false', active_days: '30' };
    const f = segmentFilter(applied);
    expect(f).toEqual({ bot_id: 12, tag: 'Hot lead', language: null, blocked: false, unsubscribed: null, active_days: 30, source: null });
    expect(filtersOfSegment({ filter: f })).toEqual({ tag: 'Hot lead', bot_id: '12', blocked: 'false', active_days: '30' });
  });

  it('leave out what is not a value the server takes', () => {
    expect(segmentFilter({ bot_id: 'abc', blocked: 'maybe', tag: '  ' })).toEqual({
      bot_id: null,
      tag: null,
      language: null,
      blocked: null,
      unsubscribed: null,
      active_days: null,
      source: null,
    });
  });

  it('tell the segment the list shows now (a tag in any case, the search aside)', () => {
    const saved = { filter: { bot_id: null, tag: 'hot lead', language: null, blocked: null, unsubscribed: null, active_days: null, source: null } };
    expect(sameFilters(filtersOfSegment(saved), { tag: 'Hot Lead', q: 'x' })).toBe(true);
    expect(sameFilters(filtersOfSegment(saved), { tag: 'hot lead', language: 'uk' })).toBe(false);
    expect(sameFilters({}, {})).toBe(true);
  });
});
