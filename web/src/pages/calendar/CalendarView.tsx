import { useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, ChevronLeft, ChevronRight, Plus } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { PostList, PostView } from '../../api/types';
import { SelectField } from '../../components/Field';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import {
  calendarZone,
  daysOf,
  formatClock,
  formatDay,
  formatMonth,
  formatWhen,
  hourOfPost,
  instantOfPost,
  isDay,
  isEditable,
  isView,
  movedSendAt,
  placePosts,
  rangeOf,
  requestOf,
  snippet,
  STATUSES,
  step,
  today,
  VIEWS,
  weekdayNames,
  zoneName,
  type View,
} from './calendar';
import { channelName, ConflictNote, DstNote, postPage, postPath, PostStatusBadge, PostTimes, useChannels, useNarrow } from './parts';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** A month cell's classes: outside the month, today, under a dragged post. */
function dayClass(day: string, date: string, todayKey: string, over: string | null): string {
  const cls = ['cal-day'];
  if (day.slice(0, 7) !== date.slice(0, 7)) cls.push('cal-day-out');
  if (day === todayKey) cls.push('cal-today');
  if (over === day) cls.push('cal-over');
  return cls.join(' ');
}
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The outcome of the last drag: the post as saved, or why it was not. */
type Moved = { post: PostView } | { error: string };

/**
 * `/calendar`: the posts of a month (`?view=month`, the default), a week
 * (`?view=week`) or a month as a list (`?view=list`, a phone's default)
 * around `?date=`, in the workspace's time zone, filtered by channel and
 * status. A scheduled post is dragged to another day (its time of day
 * kept) or, in the week, to another hour.
 */
export function CalendarView({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('calendar');
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  const narrow = useNarrow();
  const zone = calendarZone();
  const asked = params.get('view');
  const view: View = isView(asked) ? asked : narrow ? 'list' : 'month';
  const dateParam = params.get('date');
  const date = isDay(dateParam) ? dateParam : today(zone);
  const channel = params.get('channel') ?? '';
  const status = params.get('status') ?? '';
  const days = daysOf(view, date);
  const { from, to } = rangeOf(days, zone);
  // The posts due or posted in the days shown; drafts (no time) are asked for on their own.
  const query = status === 'draft' ? new URLSearchParams() : new URLSearchParams({ from, to });
  if (channel) query.set('channel_id', channel);
  if (status) query.set('status', status);
  const path = `/api/posts?${query.toString()}`;
  const posts = useApiQuery<PostList>(path, {
    // A post being sent settles in seconds: ask again until it does.
    refetchInterval: (q) => (q.state.data?.items.some((p) => p.status === 'publishing') ? 3000 : false),
  });
  const draftQuery = new URLSearchParams();
  if (channel) draftQuery.set('channel_id', channel);
  draftQuery.set('status', 'draft');
  const draftList = useApiQuery<PostList>(status ? null : `/api/posts?${draftQuery.toString()}`);
  const channels = useChannels();
  const canDrag = canEdit && !narrow;
  const dragged = useRef<PostView | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [moved, setMoved] = useState<Moved | null>(null);
  const weekRef = useRef<HTMLDivElement>(null);

  const set = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
    setMoved(null);
  };

  const items = posts.data?.items ?? [];
  const placed = placePosts(items, zone);
  const { byDay } = placed;
  const drafts = [...placed.drafts, ...(draftList.data?.items ?? []).filter((d) => !items.some((p) => p.id === d.id))];
  const todayKey = today(zone);
  // The week opens at its first post's hour (08:00 without one), not at midnight.
  const firstHour = view === 'week' ? Math.min(8, ...items.map((p) => hourOfPost(p, zone) ?? 8)) : 8;
  const loaded = !!posts.data;
  useEffect(() => {
    const box = weekRef.current;
    const row = box?.querySelector<HTMLElement>(`tr[data-hour="${firstHour}"]`);
    if (box && row) box.scrollTop = row.offsetTop - (box.querySelector('thead')?.offsetHeight ?? 0);
  }, [view, date, loaded, firstHour]);

  const move = async (p: PostView, day: string, hour?: number) => {
    const sendAt = movedSendAt(p, zone, day, hour);
    if (!sendAt) return;
    setMoving(p.id);
    setMoved(null);
    try {
      const saved = await api<PostView>(postPath(p.id), { method: 'PUT', body: requestOf(p, sendAt) });
      client.setQueryData<PostList>(keyOf(path), (old) => (old ? { items: old.items.map((x) => (x.id === saved.id ? saved : x)) } : old));
      client.setQueryData(keyOf(postPath(saved.id)), saved);
      void invalidate(client, '/api/posts', { exact: true });
      setMoved({ post: saved });
    } catch (e) {
      setMoved({ error: t('moveFailed', { error: errorMessage(e) }) });
    } finally {
      setMoving(null);
    }
  };

  const dropTarget = (slot: string, day: string, hour?: number) =>
    canDrag
      ? {
          onDragOver: (e: DragEvent) => {
            if (!dragged.current) return;
            e.preventDefault();
            if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
            if (over !== slot) setOver(slot);
          },
          onDragLeave: () => setOver((o) => (o === slot ? null : o)),
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            const p = dragged.current;
            dragged.current = null;
            setOver(null);
            if (p) void move(p, day, hour);
          },
        }
      : {};

  const chip = (p: PostView) => (
    <PostChip
      key={p.id}
      post={p}
      zone={zone}
      busy={moving === p.id}
      draggable={canDrag && p.status === 'scheduled' && moving === null}
      onDragStart={(e) => {
        dragged.current = p;
        e.dataTransfer?.setData('text/plain', p.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      }}
      onDragEnd={() => {
        dragged.current = null;
        setOver(null);
      }}
    />
  );

  const newLink = (day: string) =>
    canEdit && (
      <Link to={`/calendar/new?date=${day}`} className="cal-add" aria-label={t('newOn', { date: formatDay(day) })} title={t('newOn', { date: formatDay(day) })}>
        <Plus size={14} aria-hidden="true" />
      </Link>
    );

  const title =
    view === 'week'
      ? t('weekOf', { from: formatDay(days[0]), to: formatDay(days[6], { year: true }) })
      : formatMonth(date);

  let body: ReactNode;
  if (posts.isPending) body = <Loading label={t('loading')} />;
  else if (posts.error && !posts.data) body = <ErrorState title={t('loadError')} error={posts.error} onRetry={() => void posts.refetch()} />;
  else if (view === 'month') {
    const names = weekdayNames();
    const weeks = Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
    body = (
      <div className="cal-scroll">
        <table className="cal-month" aria-label={title}>
          <thead>
            <tr>
              {names.map((n) => (
                <th key={n} scope="col">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0]}>
                {week.map((day) => {
                  const list = byDay.get(day) ?? [];
                  return (
                    <td key={day} className={dayClass(day, date, todayKey, over)} data-day={day} {...dropTarget(day, day)}>
                      <div className="cal-day-head">
                        <span className="cal-day-number" aria-label={formatDay(day, { weekday: true })}>
                          {Number(day.slice(8))}
                        </span>
                        {newLink(day)}
                      </div>
                      {list.length > 0 && <ul className="cal-posts">{list.map(chip)}</ul>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  } else if (view === 'week') {
    const names = weekdayNames();
    body = (
      <div className="cal-scroll cal-week-scroll" ref={weekRef}>
        <table className="cal-week" aria-label={title}>
          <thead>
            <tr>
              <th scope="col" className="cal-hour">
                <span className="visually-hidden">{t('hour')}</span>
              </th>
              {days.map((day, i) => (
                <th key={day} scope="col" className={day === todayKey ? 'cal-today' : undefined}>
                  {names[i]} {Number(day.slice(8))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {HOURS.map((h) => (
              <tr key={h} data-hour={h}>
                <th scope="row" className="cal-hour">
                  {hourLabel(h)}
                </th>
                {days.map((day) => {
                  const slot = `${day}T${h}`;
                  const list = (byDay.get(day) ?? []).filter((p) => hourOfPost(p, zone) === h);
                  return (
                    <td key={day} className={over === slot ? 'cal-slot cal-over' : 'cal-slot'} data-day={day} data-hour={h} {...dropTarget(slot, day, h)}>
                      {list.length > 0 && <ul className="cal-posts">{list.map(chip)}</ul>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  } else {
    const withPosts = days.filter((d) => byDay.has(d));
    body =
      withPosts.length === 0 ? (
        <EmptyState title={channel || status ? t('list.noneMatching') : t('list.none')}>
          {canEdit && (
            <Link to="/calendar/new" className="btn btn-primary btn-sm">
              {t('newPost')}
            </Link>
          )}
        </EmptyState>
      ) : (
        <ol className="cal-list">
          {withPosts.map((day) => (
            <li key={day} data-day={day}>
              <h3 className={day === todayKey ? 'cal-list-day cal-today' : 'cal-list-day'}>{formatDay(day, { weekday: true, heading: true })}</h3>
              <ul className="cal-list-posts">
                {byDay.get(day)!.map((p) => (
                  <ListRow key={p.id} post={p} known={items} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      );
  }

  return (
    <section className="card cal" aria-labelledby="cal-title">
      <div className="cal-toolbar">
        <div className="cal-nav">
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => set({ date: step(view, date, -1) })} aria-label={t(`previous.${view}`)} title={t(`previous.${view}`)}>
            <ChevronLeft size={16} aria-hidden="true" />
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => set({ date: null })}>
            {t('today')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => set({ date: step(view, date, 1) })} aria-label={t(`next.${view}`)} title={t(`next.${view}`)}>
            <ChevronRight size={16} aria-hidden="true" />
          </button>
          <h2 id="cal-title" className="cal-title">
            {title}
          </h2>
        </div>
        <div className="cal-views" role="group" aria-label={t('views.label')}>
          {VIEWS.map((v) => (
            <button key={v} type="button" className={v === view ? 'btn btn-sm btn-primary' : 'btn btn-sm btn-secondary'} aria-pressed={v === view} onClick={() => set({ view: v })}>
              {t(`views.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="form-row cal-filters">
        <SelectField label={t('filters.channel')} value={channel} onChange={(e) => set({ channel: e.target.value })}>
          <option value="">{t('filters.allChannels')}</option>
          {(channels.data?.items ?? []).map((c) => (
            <option key={c.id} value={String(c.id)}>
              {channelName(c)}
            </option>
          ))}
          {channel && !channels.data?.items.some((c) => String(c.id) === channel) && <option value={channel}>{channel}</option>}
        </SelectField>
        <SelectField label={t('filters.status')} value={status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">{t('filters.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <p className="muted small cal-zone">
        {t('zoneNote', { zone: zoneName(zone) })} {canDrag && t('dragHint')}
      </p>
      {moved && 'error' in moved && (
        <div className="form-error" role="alert">
          {moved.error}
        </div>
      )}
      {moved && 'post' in moved && <MovedNote post={moved.post} known={items} />}
      {posts.error != null && posts.data && (
        <p className="muted small" role="status">
          {t('refreshFailed')}
        </p>
      )}
      {body}
      {draftList.error != null && !draftList.data && (
        <p className="field-error" role="alert">
          {t('drafts.loadError', { error: errorMessage(draftList.error) })}
        </p>
      )}
      {posts.data && drafts.length > 0 && (
        <div className="cal-drafts">
          <h3>{t('drafts.title')}</h3>
          <ul className="cal-list-posts">
            {drafts.map((p) => (
              <ListRow key={p.id} post={p} known={items} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** What a drag did: the new time, and what to look at (a clash, a clock change). */
function MovedNote({ post, known }: { post: PostView; known: PostView[] }) {
  const { t } = useTranslation('calendar');
  const ms = instantOfPost(post);
  return (
    <div className="cal-moved">
      <p className="notice notice-ok" role="status">
        {t('moved', { when: ms === null ? '' : formatWhen(ms, post.time_zone), zone: zoneName(post.time_zone) })}
      </p>
      <ConflictNote post={post} known={known} />
      <DstNote post={post} />
    </div>
  );
}

function PostChip({
  post: p,
  zone,
  busy,
  draggable,
  onDragStart,
  onDragEnd,
}: {
  post: PostView;
  zone: string;
  busy: boolean;
  draggable: boolean;
  onDragStart: (e: DragEvent) => void;
  onDragEnd: () => void;
}) {
  const { t } = useTranslation('calendar');
  const ms = instantOfPost(p);
  const label = p.channel_title || snippet(p, 30) || t('untitled');
  return (
    <li>
      <Link
        to={postPage(p.id)}
        className={`cal-post post-tone-${p.status}${busy ? ' cal-post-busy' : ''}${draggable ? ' cal-post-draggable' : ''}`}
        data-post={p.id}
        draggable={draggable}
        onDragStart={draggable ? onDragStart : undefined}
        onDragEnd={draggable ? onDragEnd : undefined}
      >
        {ms !== null && <span className="cal-post-time">{formatClock(ms, zone)}</span>}
        <span className="cal-post-title">{label}</span>
        <span className="visually-hidden">{t(`status.${p.status}`)}</span>
        {p.conflicts.length > 0 && (
          <AlertTriangle size={13} className="cal-post-warn" role="img" aria-label={t('conflicts.badge')} />
        )}
        {p.sold_action && <span className="cal-post-sold">{t('sold.badge')}</span>}
      </Link>
    </li>
  );
}

/** A post in the list view (and among the drafts): times in both zones, status, its first words, what to look at. */
function ListRow({ post: p, known }: { post: PostView; known: PostView[] }) {
  const { t } = useTranslation('calendar');
  return (
    <li className={`cal-row post-edge-${p.status}`} data-post={p.id}>
      <div className="cal-row-head">
        <PostTimes post={p} />
        <PostStatusBadge status={p.status} />
      </div>
      <Link to={postPage(p.id)} className="cal-row-title">
        {p.channel_title || t('untitled')}
      </Link>
      {/* The post's own words: the dealer's text, not the app's. */}
      {snippet(p, 140) && (
        <p className="cal-row-text" translate="no">
          {snippet(p, 140)}
        </p>
      )}
      {p.status === 'unknown' && <p className="small post-tone-text-unknown">{t('statusHelp.unknown')}</p>}
      {p.status === 'failed' && p.error && <p className="small field-error">{p.error}</p>}
      {p.sold_action && <p className="small muted">{t(`sold.${p.sold_action}`)}</p>}
      {isEditable(p.status) && <ConflictNote post={p} known={known} />}
      <DstNote post={p} />
    </li>
  );
}
