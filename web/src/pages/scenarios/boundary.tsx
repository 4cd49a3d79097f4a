import { Component, type ReactNode } from 'react';

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
        <div className="state-title">{this.props.title ?? 'The scenario editor ran into a problem'}</div>
        <p>{error.message || 'Something went wrong while drawing the scenario.'}</p>
        <p className="small">Changes saved before this are safe on the server.</p>
        <div className="state-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              this.setState({ error: null });
              this.props.onReload();
            }}
          >
            Reload scenario
          </button>
        </div>
      </div>
    );
  }
}
