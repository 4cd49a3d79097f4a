/** The commit this web bundle was built from, as `/api/version` reports it (12 hex chars), or "dev". */
export const BUILD_SHA: string = typeof __BUILD_SHA__ === 'string' && __BUILD_SHA__ ? __BUILD_SHA__ : 'dev';

/** A build made without git (a sha of "dev"/"unknown") can't be compared with another. */
export function isKnownSha(sha: string | null | undefined): sha is string {
  return !!sha && sha !== 'dev' && sha !== 'unknown';
}

/** Whether the server runs another build than the loaded app. */
export function isNewerBuild(serverSha: string | null | undefined, buildSha: string): boolean {
  return isKnownSha(serverSha) && isKnownSha(buildSha) && serverSha !== buildSha;
}
