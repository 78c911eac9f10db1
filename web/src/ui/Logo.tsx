/** The Konvent mark: a "K" whose arms meet a participant dot, on the product's blue. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg
      className={className ? `logo-mark ${className}` : 'logo-mark'}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="8" className="logo-mark__bg" />
      <path d="M10.5 8v16" className="logo-mark__stroke" />
      <path d="M21 8.5 14.2 16l6.8 7.5" className="logo-mark__stroke" />
      <circle cx="23.6" cy="16" r="2.5" className="logo-mark__dot" />
    </svg>
  );
}
