import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { EditorBoundary } from './boundary';

function Boom({ explode }: { explode: boolean }) {
  if (explode) throw new Error('nodes is not iterable');
  return <p>Canvas drawn</p>;
}

function Harness({ onReload }: { onReload: () => void }) {
  const [explode, setExplode] = useState(true);
  return (
    <EditorBoundary
      onReload={() => {
        setExplode(false);
        onReload();
      }}
    >
      <Boom explode={explode} />
    </EditorBoundary>
  );
}

describe('EditorBoundary', () => {
  it('shows a readable error with "Reload scenario" instead of a blank screen', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught error
    const onReload = vi.fn();
    render(<Harness onReload={onReload} />);
    expect(screen.getByRole('alert').textContent).toContain('The scenario editor ran into a problem');
    expect(screen.getByText('nodes is not iterable')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload scenario' }));
    expect(onReload).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Canvas drawn')).toBeTruthy();
  });
});
