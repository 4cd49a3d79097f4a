import type { Version } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorState, Loading } from '../../components/States';
import { formatDate } from '../../format';
import { BUILD_SHA, isKnownSha, isNewerBuild } from '../../version';

export function VersionsTab() {
  const v = useApi<Version>('/api/version');

  let status;
  if (v.data) {
    if (isNewerBuild(v.data.git_sha, BUILD_SHA)) {
      status = (
        <div className="notice notice-warn">
          The server runs a different build than this page.{' '}
          <button type="button" className="btn btn-sm btn-primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      );
    } else if (!isKnownSha(BUILD_SHA) || !isKnownSha(v.data.git_sha)) {
      status = <div className="notice">One side was built without git, so the builds cannot be compared.</div>;
    } else {
      status = <div className="notice notice-ok">The web app and the API run the same build.</div>;
    }
  }

  return (
    <div className="card">
      <h2>What is deployed</h2>
      <dl className="facts">
        <dt>Web app build</dt>
        <dd>
          <code>{BUILD_SHA}</code>
        </dd>
        {v.data && (
          <>
            <dt>API build</dt>
            <dd>
              <code>{v.data.git_sha}</code>
            </dd>
            <dt>API built at</dt>
            <dd>{formatDate(v.data.build_time, true)}</dd>
            <dt>Database schema version</dt>
            <dd>{v.data.schema_version}</dd>
          </>
        )}
      </dl>
      {v.loading ? (
        <Loading label="Asking the API for its version…" />
      ) : v.error || !v.data ? (
        <ErrorState title="Could not read the API version" error={v.error} onRetry={v.reload} />
      ) : (
        status
      )}
    </div>
  );
}
