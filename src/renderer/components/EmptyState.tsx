import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="empty" data-testid={testId}>
      <h2 className="empty__title">{title}</h2>
      {children}
    </section>
  );
}
