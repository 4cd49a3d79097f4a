import { describe, expect, it } from 'vitest';
import { filtersOfSegment, sameFilters, segmentFilter } from './filters';

describe('segment filters', () => {
  it('turn the list URL filters into a segment filter and back, without the search text', () => {
    const applied = { q: 'ann', tag: 'Hot lead', bot_id: '12', blocked: 'false', active_days: '30' };
    const f = segmentFilter(applied);
    expect(f).toEqual({ bot_id: 12, tag: 'Hot lead', language: null, blocked: false, unsubscribed: null, active_days: 30, source: null, variable: null, open_request: null });
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
      variable: null,
      open_request: null,
    });
  });

  it('keep one variable condition and the open-request mark', () => {
    const f = segmentFilter({ var: ' budget ', var_op: 'gt', var_value: '20000', open_request: 'true' });
    expect(f.variable).toEqual({ name: 'budget', op: 'gt', value: '20000' });
    expect(f.open_request).toBe(true);
    expect(filtersOfSegment({ filter: f })).toEqual({ var: 'budget', var_op: 'gt', var_value: '20000', open_request: 'true' });
    expect(segmentFilter({ var: 'phone', var_op: 'set', var_value: 'x' }).variable).toEqual({ name: 'phone', op: 'set', value: null });
    expect(segmentFilter({ var: 'make', var_op: 'bogus' }).variable?.op).toBe('set');
  });

  it('tell the segment the list shows now (a tag in any case, the search aside)', () => {
    const saved = {
      filter: { bot_id: null, tag: 'hot lead', language: null, blocked: null, unsubscribed: null, active_days: null, source: null, variable: null, open_request: null },
    };
    expect(sameFilters(filtersOfSegment(saved), { tag: 'Hot Lead', q: 'x' })).toBe(true);
    expect(sameFilters(filtersOfSegment(saved), { tag: 'hot lead', language: 'uk' })).toBe(false);
    expect(sameFilters({}, {})).toBe(true);
  });
});
