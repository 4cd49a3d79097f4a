import { Link } from 'react-router-dom';
import type { Module } from '../nav';

/** The page of a module that is not built yet: what it is and what it will do. */
export function ComingSoon({ module }: { module: Module }) {
  return (
    <div className="coming-soon">
      <div className="coming-soon-card">
        <span className="pill">Coming soon</span>
        <h1>{module.label}</h1>
        <p>{module.summary}</p>
        <p className="muted">
          This module is being built. Meanwhile, see the <Link to="/">dashboard</Link> or set up your{' '}
          <Link to="/settings?tab=team">team</Link>.
        </p>
      </div>
    </div>
  );
}
