import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { safeNext } from '../auth/next';
import { LoginForm } from './Login';

/** /login inside the app (after a logout, or a session that ended): the form, with the app's session. */
export function Login() {
  const { login, status } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  if (status === 'authenticated') return <Navigate to={safeNext(next)} replace />;
  return <LoginForm next={next} login={login} onLoggedIn={(to) => navigate(to, { replace: true })} />;
}
