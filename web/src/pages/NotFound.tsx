import { Link, useLocation } from 'react-router-dom';

export function NotFound() {
  const { pathname } = useLocation();
  return (
    <div className="coming-soon">
      <div className="coming-soon-card">
        <span className="pill pill-muted">404</span>
        <h1>Page not found</h1>
        <p>
          There is no page at <code>{pathname}</code>.
        </p>
        <Link to="/" className="btn btn-primary">
          Go to the dashboard
        </Link>
      </div>
    </div>
  );
}
