import { useEffect, useRef } from 'react';
import { AudioLevelMeter } from '../media/AudioLevelMeter.ts';

const SEGMENTS = 16;

/**
 * A segmented microphone level meter (role="meter"). The animation writes to the DOM
 * directly from requestAnimationFrame instead of through React state, so 60 updates a
 * second cost no re-renders; aria-valuenow is updated at a calmer pace.
 */
export function MicLevelMeter({ track, label }: { track: MediaStreamTrack | null; label: string }) {
  const meterRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const meter = meterRef.current;
    if (!meter) return;
    const segments = [...meter.querySelectorAll<HTMLElement>('.meter__segment')];
    const show = (lit: number, value: number) => {
      segments.forEach((segment, index) => {
        segment.classList.toggle('is-lit', index < lit);
      });
      meter.setAttribute('aria-valuenow', String(value));
    };
    if (!track) {
      show(0, 0);
      return;
    }
    const analyser = new AudioLevelMeter(track);
    // Autoplay rules may start the context suspended until the user interacts with the page.
    const wake = () => {
      analyser.resume();
    };
    window.addEventListener('pointerdown', wake);
    window.addEventListener('keydown', wake);
    analyser.resume();
    let frame = 0;
    let lastLit = -1;
    let lastAnnounced = 0;
    const tick = (now: number) => {
      const level = analyser.level();
      const lit = Math.round(level * SEGMENTS);
      if (lit !== lastLit && now - lastAnnounced > 250) {
        lastLit = lit;
        lastAnnounced = now;
        show(lit, Math.round(level * 100));
      } else if (lit !== lastLit) {
        lastLit = lit;
        segments.forEach((segment, index) => {
          segment.classList.toggle('is-lit', index < lit);
        });
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('pointerdown', wake);
      window.removeEventListener('keydown', wake);
      analyser.close();
      show(0, 0);
    };
  }, [track]);

  return (
    <div
      ref={meterRef}
      className={track ? 'meter' : 'meter meter--off'}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
    >
      {Array.from({ length: SEGMENTS }, (_, index) => (
        <span key={index} className="meter__segment" aria-hidden="true" />
      ))}
    </div>
  );
}
