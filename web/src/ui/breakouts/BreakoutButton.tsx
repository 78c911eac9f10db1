import { useState, useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { BreakoutStore } from '../../media/BreakoutStore.ts';
import { Dialog } from '../Dialog.tsx';
import { PanelButton } from '../PanelButton.tsx';
import { BreakoutManager } from './BreakoutManager.tsx';
import { BreakoutSetup } from './BreakoutSetup.tsx';
import type { Person } from './people.ts';

/**
 * The moderators' toolbar button "Breakout rooms" and its dialog: the form that opens rooms
 * while none run, the rooms with their members, moves, visits, broadcast and "end now"
 * while they do. It works from the main room and from inside a room alike (the store
 * belongs to the main meeting's client).
 */
export function BreakoutButton({
  store,
  people,
  currentRoomId,
  onVisit,
}: {
  store: BreakoutStore;
  people: readonly Person[];
  currentRoomId: string | null;
  onVisit: (roomId: string | null) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { breakout } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const close = () => {
    setOpen(false);
  };
  return (
    <>
      <PanelButton
        icon="door"
        label={t('breakout.button')}
        pressed={open}
        controls="breakout-dialog"
        badge={breakout ? String(breakout.rooms.length) : null}
        onClick={() => {
          setOpen(true);
        }}
      />
      <Dialog
        open={open}
        title={breakout ? t('breakout.panel.title') : t('breakout.setup.title')}
        onClose={close}
        wide
      >
        {breakout ? (
          <BreakoutManager
            store={store}
            breakout={breakout}
            people={people}
            currentRoomId={currentRoomId}
            onVisit={(roomId) => {
              close();
              onVisit(roomId);
            }}
            onClose={close}
          />
        ) : (
          <BreakoutSetup store={store} people={people} onDone={close} />
        )}
      </Dialog>
    </>
  );
}
