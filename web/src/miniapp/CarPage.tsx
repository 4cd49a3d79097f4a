// One car of the showcase: its photos, its details and "I'm interested", which
// sends Telegram's signed launch data to the server (it checks it and opens a
// conversation with the buyer in the dealer's Inbox).
//
// Inside Telegram the same action is also Telegram's main button, and
// Telegram's back button returns to the list.
import { ArrowLeft, Check } from 'lucide-react';
import { useCallback, useEffect, useRef, useState, type MouseEvent, type UIEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client';
import { errorMessage } from '../api/errors';
import { currentLanguage, i18n } from '../i18n';
import { carPath, postInterest, showcaseUrl, usePublic, type ShowcaseCar } from './api';
import { carChips, carMileage, carTitle, formatPrice, fuelLabel, transmissionLabel } from './format';
import { CarPhoto, Chips, MaError, MaState } from './parts';
import type { CarLinkState } from './ShowcaseList';
import { initDataOf, loadTelegram, supports, type TgWebApp } from './telegram';

/** The buyer's button (also Telegram's main button), in the buyer's language. */
export const interestedText = () => i18n.t('showcase:interested');

type Interest =
  | { state: 'idle' }
  | { state: 'sending' }
  | { state: 'sent'; message: string }
  | { state: 'no-telegram' }
  | { state: 'reopen' }
  | { state: 'gone' }
  | { state: 'error'; message: string };

function haptic(tg: TgWebApp | null, type: 'success' | 'error') {
  if (!supports(tg, '6.1')) return;
  try {
    tg!.HapticFeedback.notificationOccurred(type);
  } catch {
    /* no haptics on this device */
  }
}

export function CarPage({ slug, carId, tg }: { slug: string; carId: string; tg: TgWebApp | null }) {
  const { t } = useTranslation('showcase');
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state ?? null) as CarLinkState | null;
  const listHref = showcaseUrl(slug) + (from?.back ? `?${from.back}` : '');
  const car = usePublic<ShowcaseCar>(carPath(slug, carId));
  const data = car.loading ? null : car.data;
  const [interest, setInterest] = useState<Interest>({ state: 'idle' });
  const sending = useRef(false);
  const inTelegram = initDataOf(tg) !== '';

  const goBack = useCallback(() => {
    // Came from the list: go back to it as it was (filters, pages, scroll).
    if (from?.fromList) void navigate(-1);
    else void navigate(listHref);
  }, [from?.fromList, listHref, navigate]);

  const send = useCallback(async () => {
    if (sending.current || !data) return;
    sending.current = true;
    try {
      // The SDK may still be loading when the page is tapped very early.
      const w = tg ?? (await loadTelegram());
      const initData = initDataOf(w);
      if (!initData) {
        setInterest({ state: 'no-telegram' });
        return;
      }
      setInterest({ state: 'sending' });
      try {
        const res = await postInterest(slug, { init_data: initData, listing_id: data.id });
        // The server's note is English: other languages say the same in the buyer's words.
        const message =
          currentLanguage() === 'en' && res?.message
            ? res.message
            : t(res?.created === false ? 'sentAgain' : 'sentNew', { car: carTitle(data) });
        setInterest({ state: 'sent', message });
        haptic(w, 'success');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) setInterest({ state: 'reopen' });
        else if (e instanceof ApiError && e.status === 404) setInterest({ state: 'gone' });
        else setInterest({ state: 'error', message: errorMessage(e) });
        haptic(w, 'error');
      }
    } finally {
      sending.current = false;
    }
  }, [data, slug, tg, t]);

  // Telegram's buttons call the latest handlers.
  const sendRef = useRef(send);
  const backRef = useRef(goBack);
  useEffect(() => {
    sendRef.current = send;
    backRef.current = goBack;
  });

  const loaded = data !== null;
  useEffect(() => {
    if (!tg || !inTelegram || !loaded) return;
    const mb = tg.MainButton;
    const onClick = () => void sendRef.current();
    mb.setText(interestedText());
    mb.onClick(onClick);
    mb.show();
    return () => {
      mb.offClick(onClick);
      mb.hideProgress();
      mb.hide();
    };
  }, [tg, inTelegram, loaded]);

  useEffect(() => {
    if (!tg || !inTelegram || !loaded) return;
    const mb = tg.MainButton;
    if (interest.state === 'sending') mb.showProgress(false);
    else mb.hideProgress();
    if (interest.state === 'sent' || interest.state === 'gone') mb.hide();
  }, [tg, inTelegram, loaded, interest.state]);

  useEffect(() => {
    if (!tg || !supports(tg, '6.1')) return;
    const bb = tg.BackButton;
    const onBack = () => backRef.current();
    bb.onClick(onBack);
    bb.show();
    return () => {
      bb.offClick(onBack);
      bb.hide();
    };
  }, [tg]);

  const onAllCars = (e: MouseEvent<HTMLAnchorElement>) => {
    if (!from?.fromList || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    goBack();
  };

  return (
    <div className="ma-page ma-car">
      <nav className="ma-topnav">
        <Link to={listHref} className="ma-back" onClick={onAllCars}>
          <ArrowLeft size={16} aria-hidden="true" /> {t('allCars')}
        </Link>
      </nav>
      {car.loading ? (
        <CarSkeleton />
      ) : car.error instanceof ApiError && car.error.status === 404 ? (
        <MaState
          title={t('carGone')}
          action={
            <Link to={showcaseUrl(slug)} className="ma-btn ma-btn-secondary">
              {t('seeAllCars')}
            </Link>
          }
        >
          {t('carGoneBody')}
        </MaState>
      ) : car.error || !data ? (
        <MaError title={t('carLoadError')} error={car.error} onRetry={car.reload} />
      ) : (
        <CarDetails car={data} interest={interest} onInterested={() => void send()} inTelegram={inTelegram} />
      )}
    </div>
  );
}

function CarDetails({
  car,
  interest,
  onInterested,
  inTelegram,
}: {
  car: ShowcaseCar;
  interest: Interest;
  onInterested: () => void;
  inTelegram: boolean;
}) {
  const { t } = useTranslation('showcase');
  const title = carTitle(car);
  const specs: [string, string | null][] = [
    [t('specs.year'), car.year ? String(car.year) : null],
    [t('specs.mileage'), carMileage(car)],
    [t('specs.fuel'), fuelLabel(car)],
    [t('specs.transmission'), transmissionLabel(car)],
    [t('specs.body'), car.body?.trim() || null],
    [t('specs.color'), car.color?.trim() || null],
  ];
  const done = interest.state === 'sent' || interest.state === 'gone';
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
  return (
    <article className="ma-car-details" aria-labelledby="ma-car-title">
      <Gallery photos={car.photos ?? []} title={title} />
      <div className="ma-section">
        <h1 id="ma-car-title">{title}</h1>
        <div className="ma-price ma-price-lg">{formatPrice(car.price, car.currency)}</div>
        <Chips items={carChips(car)} />
      </div>
      <dl className="ma-specs">
        {specs
          .filter((s): s is [string, string] => !!s[1])
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {car.description?.trim() && (
        <section className="ma-section" aria-label={t('description')}>
          <h2>{t('description')}</h2>
          <p className="ma-description">{car.description.trim()}</p>
        </section>
      )}
      <div className={inTelegram ? 'ma-interest ma-interest-tg' : 'ma-interest'}>
        <InterestMessage interest={interest} />
        <button
          type="button"
          className="ma-btn ma-btn-block"
          onClick={onInterested}
          disabled={interest.state === 'sending' || done}
        >
          {interest.state === 'sending' ? (
            t('sending')
          ) : interest.state === 'sent' ? (
            <>
              {t('requestSent')} <Check size={16} aria-hidden="true" />
            </>
          ) : interest.state === 'error' ? (
            t('tryAgain')
          ) : (
            t('interested')
          )}
        </button>
      </div>
    </article>
  );
}

function InterestMessage({ interest }: { interest: Interest }) {
  const { t } = useTranslation('showcase');
  switch (interest.state) {
    case 'sent':
      return (
        <div className="ma-notice ma-notice-ok ma-interest-done" role="status">
          {interest.message}
        </div>
      );
    case 'no-telegram':
      return (
        <div className="ma-notice" role="status">
          {t('noTelegram')}
        </div>
      );
    case 'reopen':
      return (
        <div className="ma-notice ma-notice-error" role="alert">
          {t('reopen')}
        </div>
      );
    case 'gone':
      return (
        <div className="ma-notice ma-notice-error" role="alert">
          {t('carGoneShort')}
        </div>
      );
    case 'error':
      return (
        <div className="ma-notice ma-notice-error" role="alert">
          {t('sendFailed', { error: interest.message })}
        </div>
      );
    default:
      return null;
  }
}

/** The photos in a strip that scrolls (swipes) sideways, one at a time, with a counter. */
function Gallery({ photos, title }: { photos: string[]; title: string }) {
  const { t } = useTranslation('showcase');
  const [index, setIndex] = useState(0);
  const n = photos.length;
  if (n === 0) return <CarPhoto url={undefined} />;
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (el.clientWidth > 0) setIndex(Math.min(n - 1, Math.max(0, Math.round(el.scrollLeft / el.clientWidth))));
  };
  return (
    <div className="ma-gallery">
      <div className="ma-gallery-strip" role="group" aria-label={t('photos')} tabIndex={0} onScroll={onScroll}>
        {photos.map((p, i) => (
          <div className="ma-gallery-item" key={`${i}:${p}`}>
            <CarPhoto url={p} alt={n > 1 ? t('photoOf', { car: title, n: i + 1, total: n }) : title} eager={i === 0} />
          </div>
        ))}
      </div>
      {n > 1 && (
        <div className="ma-gallery-count" aria-hidden="true">
          {index + 1} / {n}
        </div>
      )}
    </div>
  );
}

function CarSkeleton() {
  const { t } = useTranslation('showcase');
  return (
    <div>
      <p className="ma-sr" role="status">
        {t('loadingCar')}
      </p>
      <div className="ma-photo ma-skel" aria-hidden="true" />
      <div className="ma-section" aria-hidden="true">
        <div className="ma-skel ma-skel-title" />
        <div className="ma-skel ma-skel-line ma-skel-short" />
      </div>
    </div>
  );
}
