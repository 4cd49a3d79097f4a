import { useTranslation } from 'react-i18next';
import { ButtonsEditor } from './ButtonsEditor';
import { isAlbum, textLimit, type ContentDraft, type MediaItem } from './campaign';
import { MediaField } from './MediaField';
import { MessageText, type TextVariable } from './MessageText';

/**
 * What a message says and shows: its text (the caption under media) with
 * variable chips, its photos, video or file, and its buttons. Campaigns,
 * channel posts and post templates edit their content with it.
 */
export function ContentEditor({
  value,
  onChange,
  updateMedia,
  errors,
  variables,
  variablesHint,
}: {
  value: ContentDraft;
  onChange: (p: Partial<ContentDraft>) => void;
  /** Changes the media from their latest value (uploads finish later). */
  updateMedia: (fn: (m: MediaItem[]) => MediaItem[]) => void;
  /** Errors by slot: `text`, `media`, `media:<key>`, `buttons`, `button:<key>:<part>`. */
  errors: Record<string, string | undefined>;
  variables?: readonly TextVariable[];
  variablesHint?: string;
}) {
  const { t } = useTranslation('campaigns');
  const mediaErrors: Record<number, string | undefined> = {};
  for (const m of value.media) mediaErrors[m.key] = errors[`media:${m.key}`];
  return (
    <>
      <MessageText
        value={value.text}
        onChange={(text) => onChange({ text })}
        limit={textLimit(value)}
        caption={value.media.length > 0}
        error={errors.text}
        variables={variables}
        hint={variablesHint}
      />
      <h3 className="campaign-subtitle">{t('media.title')}</h3>
      <MediaField items={value.media} update={updateMedia} errors={mediaErrors} error={errors.media} />
      <h3 className="campaign-subtitle">{t('buttons.title')}</h3>
      <ButtonsEditor buttons={value.buttons} onChange={(buttons) => onChange({ buttons })} errors={errors} error={errors.buttons} album={isAlbum(value)} />
    </>
  );
}
