import { describe, expect, it } from 'vitest';
import { message } from '../../test/inbox';
import { groupAlbums, sortMessages } from './grouping';

describe('album grouping', () => {
  it('shows two photos of one media group as one item', () => {
    const items = groupAlbums(
      sortMessages([
        message({ message_id: 1, text: 'Look' }),
        message({ message_id: 2, kind: 'photo', media_group_id: 'g1' }),
        message({ message_id: 3, kind: 'photo', media_group_id: 'g1' }),
        message({ message_id: 4, text: 'Nice?' }),
      ]),
    );
    expect(items.map((i) => i.type)).toEqual(['message', 'album', 'message']);
    const album = items[1];
    expect(album.type === 'album' && album.messages.map((m) => m.message_id)).toEqual([2, 3]);
  });

  it('keeps apart albums that are not consecutive or not from the same side', () => {
    const items = groupAlbums([
      message({ message_id: 1, kind: 'photo', media_group_id: 'g1' }),
      message({ message_id: 2, kind: 'photo', media_group_id: 'g2' }),
      message({ message_id: 3, kind: 'photo', media_group_id: 'g2', direction: 'out' }),
      message({ message_id: 4, kind: 'photo', media_group_id: 'g1' }),
    ]);
    expect(items.map((i) => i.type)).toEqual(['message', 'message', 'message', 'message']);
  });

  it('sorts oldest first by time, then by the order Cartie recorded them', () => {
    const a = message({ message_id: 5, at_ms: 1000, seq: 2 });
    const b = message({ message_id: 6, at_ms: 1000, seq: 1 });
    const c = message({ message_id: 1, at_ms: 500, seq: 3 });
    expect(sortMessages([a, b, c]).map((m) => m.message_id)).toEqual([1, 6, 5]);
  });
});
