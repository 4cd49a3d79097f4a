// The buyer-facing Telegram Mini App (`/m/:slug` and `/m/:slug/:carId`):
// public, outside the dealer's logged-in layout, opened from a bot's menu
// button. Also works as a plain web page (browsing only).
import { useEffect } from 'react';
import { useParams } from 'react-router-dom';
import { currentLanguage, miniappLanguage, setLanguage } from '../i18n';
import { CarPage } from './CarPage';
import { ShowcaseList } from './ShowcaseList';
import { initDataOf, useTelegram } from './telegram';

export function Showcase() {
  const { slug = '', carId } = useParams();
  const { tg, theme } = useTelegram();
  // The buyer's Telegram language once the SDK is up (the start used the address's launch data);
  // not remembered: the dealer's own choice in this browser stays theirs.
  useEffect(() => {
    if (!tg) return;
    const lang = miniappLanguage(initDataOf(tg) || undefined);
    if (lang !== currentLanguage()) void setLanguage(lang, false);
  }, [tg]);
  return (
    <div className="ma" style={theme}>
      {carId ? (
        <CarPage key={`${slug}/${carId}`} slug={slug} carId={carId} tg={tg} />
      ) : (
        <ShowcaseList key={slug} slug={slug} />
      )}
    </div>
  );
}
