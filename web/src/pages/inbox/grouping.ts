import type { MessageView } from '../../api/types';

/** One thing in the chat: a message, or an album (consecutive messages sharing a media_group_id). */
export type ChatItem =
  | { type: 'message'; key: string; message: MessageView }
  | { type: 'album'; key: string; messages: MessageView[] };

/** Oldest first, in the order Cartie recorded them. */
export function sortMessages(messages: Iterable<MessageView>): MessageView[] {
  return Array.from(messages).sort((a, b) => a.at_ms - b.at_ms || (a.seq ?? 0) - (b.seq ?? 0) || a.message_id - b.message_id);
}

/** Groups an album's photos/videos (same media_group_id, one after the other, same side) into one item. */
export function groupAlbums(messages: MessageView[]): ChatItem[] {
  const items: ChatItem[] = [];
  for (const m of messages) {
    const last = items[items.length - 1];
    if (m.media_group_id && last) {
      const prev = last.type === 'album' ? last.messages[0] : last.message;
      if (prev.media_group_id === m.media_group_id && prev.direction === m.direction) {
        if (last.type === 'album') last.messages.push(m);
        else items[items.length - 1] = { type: 'album', key: `album-${prev.key}`, messages: [prev, m] };
        continue;
      }
    }
    items.push({ type: 'message', key: m.key, message: m });
  }
  return items;
}
