import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  readonly error: Error | null;
}

/**
 * Last line of defence: a render bug shows a readable message and a way back instead of a blank window.
 * Tokens live in main, so reloading the page loses nothing.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Renderer error', error.message, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="error-boundary">
        <h1>Something went wrong in this window</h1>
        <p>Your tokens are safe: they are stored by TokenDesk’s main process, not this page.</p>
        <pre className="crash__detail">{this.state.error.message}</pre>
        <div className="row">
          <button type="button" className="btn btn--primary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload window
          </button>
        </div>
      </div>
    );
  }
}
