import { Component, type ReactNode } from 'react';
import { i18n } from '../../i18n';

/**
 * Catches a render error below it and shows what happened with a way out,
 * instead of the blank screen React leaves otherwise.
 */
export class EditorBoundary extends Component<
  { children: ReactNode; onReload: () => void; title?: string },
  { error: Error | null }
> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="state state-error sc-crash" role="alert">
        <div className="state-title">{this.props.title ?? i18n.t('scenarios:boundary.title')}</div>
        <p>{error.message || i18n.t('scenarios:boundary.body')}</p>
        <p className="small">{i18n.t('scenarios:boundary.safe')}</p>
        <div className="state-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              this.setState({ error: null });
              this.props.onReload();
            }}
          >
            {i18n.t('scenarios:boundary.reload')}
          </button>
        </div>
      </div>
    );
  }
}
