import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Icon } from './Icons.tsx';
import type { IconName } from './Icons.tsx';

/** One entry of an {@link ActionsMenu}. */
export interface MenuAction {
  /** Stable key. */
  id: string;
  label: string;
  icon: IconName;
  /** Drawn in the danger colour (removing someone). */
  danger?: boolean;
  onSelect: () => void;
}

const MENU_GAP_PX = 4;
const VIEWPORT_MARGIN_PX = 8;

/**
 * A button that opens a menu of actions, after the WAI-ARIA menu button pattern: Enter,
 * Space or Arrow Down open it on the first item, Arrow Up on the last; arrows, Home and End
 * move, Escape closes it and returns focus to the button, Tab closes it.
 *
 * The menu is `position: fixed` at the button, so the scrolling side panel cannot clip it;
 * it opens upwards when there is no room below and closes when the page scrolls or resizes.
 */
export function ActionsMenu({ label, actions }: { label: string; actions: readonly MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const [focusLast, setFocusLast] = useState(false);
  const [position, setPosition] = useState<{ top: number; right: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const id = useId();

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    setPosition(null);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  const show = (last: boolean) => {
    setFocusLast(last);
    setOpen(true);
  };

  // Placed before paint, so the menu never flashes at a wrong place.
  useLayoutEffect(() => {
    if (!open) return;
    const button = buttonRef.current;
    const menu = menuRef.current;
    if (!button || !menu) return;
    const anchor = button.getBoundingClientRect();
    const height = menu.offsetHeight;
    const below = anchor.bottom + MENU_GAP_PX;
    const fitsBelow = below + height <= window.innerHeight - VIEWPORT_MARGIN_PX;
    setPosition({
      top: fitsBelow ? below : Math.max(VIEWPORT_MARGIN_PX, anchor.top - MENU_GAP_PX - height),
      right: Math.max(VIEWPORT_MARGIN_PX, window.innerWidth - anchor.right),
    });
  }, [open]);

  useEffect(() => {
    if (!open || position === null) return;
    const items = menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
    items?.[focusLast ? items.length - 1 : 0]?.focus();
  }, [open, position, focusLast]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (menuRef.current?.contains(target) || buttonRef.current?.contains(target)) return;
      close(false);
    };
    const onMove = (event: Event) => {
      // Scrolling inside the menu itself is fine; anything else moves the button away.
      if (event.target instanceof Node && menuRef.current?.contains(event.target)) return;
      close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open, close]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.findIndex((item) => item === document.activeElement);
    const focusAt = (next: number) => {
      event.preventDefault();
      items[(next + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        return;
      case 'ArrowUp':
        focusAt(index - 1);
        return;
      case 'Home':
        focusAt(0);
        return;
      case 'End':
        focusAt(items.length - 1);
        return;
      case 'Escape':
        // Only the menu closes, not the side panel around it.
        event.preventDefault();
        event.stopPropagation();
        close(true);
        return;
      case 'Tab':
        close(false);
        return;
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button icon-button--small actions-menu__button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => {
          if (open) close(false);
          else show(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show(event.key === 'ArrowUp');
          }
        }}
      >
        <Icon name="more" />
      </button>
      {open && (
        <ul
          ref={menuRef}
          id={`${id}-menu`}
          className="actions-menu"
          role="menu"
          aria-label={label}
          style={
            position === null
              ? { visibility: 'hidden', top: 0, right: 0 }
              : { top: position.top, right: position.right }
          }
          onKeyDown={onMenuKeyDown}
        >
          {actions.map((action) => (
            <li key={action.id} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`actions-menu__item${action.danger === true ? ' actions-menu__item--danger' : ''}`}
                onClick={() => {
                  close(true);
                  action.onSelect();
                }}
              >
                <Icon name={action.icon} />
                <span>{action.label}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
