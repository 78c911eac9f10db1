import type { ReactNode } from 'react';
import { Icon } from './Icons.tsx';

/**
 * A notice box. Errors are alerts (announced at once); success and information are
 * status messages (announced politely).
 */
export function Notice({
  tone,
  children,
  className,
}: {
  tone: 'error' | 'success' | 'warning' | 'info';
  children: ReactNode;
  className?: string;
}) {
  const icon =
    tone === 'error' || tone === 'warning' ? 'alert' : tone === 'success' ? 'check' : 'info';
  return (
    <p
      className={`notice notice--${tone}${className === undefined ? '' : ` ${className}`}`}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      <Icon name={icon} />
      <span>{children}</span>
    </p>
  );
}
