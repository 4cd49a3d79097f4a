// Pieces the calendar's pages share: the channels and templates, a post's
// status, its times in its own zone and the viewer's, why the clocks moved
// it, and the posts it clashes with.
import { AlertTriangle } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { seg } from '../../api/client';
import { useApiQuery } from '../../api/query';
import type { ChannelList, ChannelView, PostStatus, PostTemplateList, PostView } from '../../api/types';
import { browserZone, canonicalZone } from '../../i18n/zones';
import { calendarZone, dstNote, formatClock, formatWhen, instantOfPost, minutesApart, wallAt, zoneName } from './calendar';

export const CHANNELS_PATH = '/api/channels';
export const TEMPLATES_PATH = '/api/post-templates';
export const SETTINGS_PATH = '/api/calendar/settings';
export const postPath = (id: string) => `/api/posts/${seg(id)}`;
export const postPage = (id: string) => `/calendar/posts/${encodeURIComponent(id)}`;

export const useChannels = () => useApiQuery<ChannelList>(CHANNELS_PATH);
export const useTemplates = () => useApiQuery<PostTemplateList>(TEMPLATES_PATH);

/** A channel as people name it: its title, `@username` when it has one. */
export function channelName(c: Pick<ChannelView, 'title' | 'username'>): string {
  return c.username ? `${c.title} (@${c.username})` : c.title;
}

const NARROW = '(max-width: 640px)';

function subscribeNarrow(onChange: () => void) {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => undefined;
  const mq = window.matchMedia(NARROW);
  mq.addEventListener?.('change', onChange);
  return () => mq.removeEventListener?.('change', onChange);
}
const narrowNow = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(NARROW).matches;

/** A phone's screen (≤ 640 px): the list is the calendar, and nothing is dragged. */
export function useNarrow(): boolean {
  return useSyncExternalStore(subscribeNarrow, narrowNow, () => false);
}

export function PostStatusBadge({ status }: { status: PostStatus }) {
  const { t } = useTranslation('calendar');
  return <span className={`post-status post-status-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

/** What a failed or unknown post asks of the dealer; null for the others. */
export function StatusHelp({ post }: { post: PostView }) {
  const { t } = useTranslation('calendar');
  if (post.status === 'unknown') {
    return (
      <p className="notice notice-warn" role="status">
        {t('statusHelp.unknown')}
      </p>
    );
  }
  if (post.status === 'failed') {
    return (
      <p className="form-error" role="alert">
        {post.error ? t('statusHelp.failed', { error: post.error }) : t('statusHelp.failedNoReason')}
      </p>
    );
  }
  return null;
}

/**
 * When a post goes (or went): in its own zone, and in the calendar's and
 * the browser's zones when their clocks read otherwise then.
 */
export function PostTimes({ post }: { post: PostView }) {
  const { t } = useTranslation('calendar');
  const ms = instantOfPost(post);
  if (ms === null) return <span className="muted">{t('times.notScheduled')}</span>;
  const own = post.time_zone;
  const shown = calendarZone();
  const mine = canonicalZone(browserZone());
  const reads = (zone: string) => {
    const w = wallAt(ms, zone);
    return `${w.date}T${w.time}`;
  };
  const others: { zone: string; key: 'calendar' | 'yours' }[] = [];
  if (shown !== own && reads(shown) !== reads(own)) others.push({ zone: shown, key: 'calendar' });
  if (mine !== own && mine !== shown && reads(mine) !== reads(own) && reads(mine) !== reads(shown)) others.push({ zone: mine, key: 'yours' });
  return (
    <span className="post-times">
      <span>
        {formatWhen(ms, own)}{' '}
        <span className="muted" translate="no">
          {zoneName(own)}
        </span>
      </span>
      {others.map((o) => (
        <span key={o.key} className="muted small">
          {t(`times.${o.key}`, { when: formatWhen(ms, o.zone), zone: zoneName(o.zone) })}
        </span>
      ))}
    </span>
  );
}

/** "10:30 does not exist on 29 March in Europe/Kyiv…": why the clocks moved a post. */
export function DstNote({ post }: { post: PostView }) {
  const note = dstNote(post);
  if (!note) return null;
  return (
    <p className="notice notice-warn post-dst" role="note">
      {note}
    </p>
  );
}

/**
 * The posts to the same channel too close to this one: how far each is,
 * with a link. A warning only: nothing is blocked. `known` are posts
 * already loaded (the calendar's); others are asked for.
 */
export function ConflictNote({ post, known = [] }: { post: PostView; known?: PostView[] }) {
  const { t } = useTranslation('calendar');
  if (!post.conflicts.length) return null;
  return (
    <div className="notice notice-warn post-conflicts" role="status">
      <AlertTriangle size={16} aria-hidden="true" />
      <ul>
        {post.conflicts.map((id) => (
          <ConflictLine key={id} post={post} id={id} known={known.find((k) => k.id === id)} />
        ))}
      </ul>
      <span className="small">{t('conflicts.hint')}</span>
    </div>
  );
}

function ConflictLine({ post, id, known }: { post: PostView; id: string; known: PostView | undefined }) {
  const { t } = useTranslation('calendar');
  const remote = useApiQuery<PostView>(known ? null : postPath(id), { staleTime: 30_000, retry: false });
  const other = known ?? remote.data;
  const minutes = other ? minutesApart(post, other) : null;
  const ms = other ? instantOfPost(other) : null;
  return (
    <li>
      <Link to={postPage(id)}>
        {minutes !== null && ms !== null
          ? t('conflicts.near', { minutes, time: formatClock(ms, calendarZone()) })
          : t('conflicts.close')}
      </Link>
    </li>
  );
}
