import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { seg } from '../../api/client';
import { useApiQuery } from '../../api/query';
import type { CampaignView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { isEditable, isLive } from './campaign';
import { Composer } from './Composer';
import { CampaignFacts, MessagePreview } from './MessagePreview';
import { StatusBadge } from './parts';
import { ProgressView } from './ProgressView';

/** How often the page asks for the campaign: every second while it sends, now and then while it waits for its time. */
function pollEvery(c: CampaignView | undefined): number | false {
  if (isLive(c?.status)) return 1000;
  if (c?.status === 'paused') return 5000;
  if (c?.status === 'scheduled') return 30_000;
  return false;
}

/**
 * `/campaigns/new` (compose) and `/campaigns/:id`: the composer while the
 * campaign can change (draft, scheduled), its progress once it started.
 */
export function CampaignPage() {
  const { t } = useTranslation('campaigns');
  const { me } = useAuth();
  const { id = 'new' } = useParams();
  const navigate = useNavigate();
  const isNew = id === 'new';
  const canEdit = atLeast(me?.role, 'manager');
  // The campaign this page has just created: its composer stays on screen
  // (with what saving said) while the address becomes the campaign's own.
  // `round` gives each later visit to `new` a fresh composer.
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const [round, setRound] = useState(0);
  const [prevId, setPrevId] = useState(id);
  if (id !== prevId) {
    setPrevId(id);
    if (isNew) {
      setRound((r) => r + 1);
      setCreated(null);
    }
  }
  const justCreated = created && created.id === id ? created : null;
  const remote = useApiQuery<CampaignView>(me?.workspace && !isNew ? `/api/campaigns/${seg(id)}` : null, {
    refetchInterval: (q) => pollEvery(q.state.data),
  });
  const campaign = remote.data && remote.data.id === id ? remote.data : null;
  const back = (
    <Link to="/campaigns" className="btn btn-secondary">
      {t('backToList')}
    </Link>
  );
  const toList = () => navigate('/campaigns', { replace: true });

  if (!me?.workspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }

  if (isNew) {
    if (!canEdit) {
      return (
        <>
          <PageHeader title={t('newTitle')} actions={back} />
          <EmptyState title={t('onlyManagers')}>{t('onlyManagersBody')}</EmptyState>
        </>
      );
    }
    const key = `new-${round}`;
    return (
      <>
        <PageHeader title={t('newTitle')} subtitle={t('newSubtitle')} actions={back} />
        <Composer
          key={key}
          initial={null}
          onCreated={(c) => {
            setCreated({ id: c.id, key });
            navigate(`/campaigns/${encodeURIComponent(c.id)}`, { replace: true });
          }}
          onDeleted={toList}
        />
      </>
    );
  }

  if (!campaign) {
    return (
      <>
        <PageHeader title={t('campaign')} actions={back} />
        {remote.error ? (
          <ErrorState title={t('loadOneError')} error={remote.error} onRetry={() => void remote.refetch()} extra={back} />
        ) : (
          <Loading label={t('loadingOne')} />
        )}
      </>
    );
  }

  const header = (
    <PageHeader
      title={campaign.name}
      subtitle={<StatusBadge status={campaign.status} />}
      actions={back}
    />
  );

  if (isEditable(campaign.status)) {
    return (
      <>
        {header}
        {canEdit ? (
          <Composer
            key={justCreated ? justCreated.key : `editor-${id}`}
            initial={campaign}
            onCreated={() => undefined}
              onDeleted={toList}
          />
        ) : (
          <>
            <section className="card">
              <CampaignFacts campaign={campaign} />
            </section>
            <MessagePreview campaign={campaign} />
          </>
        )}
      </>
    );
  }

  return (
    <>
      {header}
      <ProgressView campaign={campaign} canControl={canEdit} onDeleted={toList} />
    </>
  );
}
