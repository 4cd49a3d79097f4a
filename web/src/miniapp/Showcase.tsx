// The buyer-facing Telegram Mini App (`/m/:slug` and `/m/:slug/:carId`):
// public, outside the dealer's logged-in layout, opened from a bot's menu
// button. Also works as a plain web page (browsing only).
import { useParams } from 'react-router-dom';
import { CarPage } from './CarPage';
import { ShowcaseList } from './ShowcaseList';
import { useTelegram } from './telegram';

export function Showcase() {
  const { slug = '', carId } = useParams();
  const { tg, theme } = useTelegram();
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
