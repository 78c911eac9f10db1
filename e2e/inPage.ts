/**
 * Functions that Playwright serialises and runs inside the page. They must be
 * self-contained (no imports, no closures over Node values): Playwright sends their source
 * text, so only their arguments cross the boundary. They observe the page from outside
 * the product: production code has no test hooks.
 */

/** What the init scripts keep on `window`. */
interface ProbeState {
  peerConnections: RTCPeerConnection[];
  /** First frame seen per `video[data-participant-id]`, keyed by participant id. */
  firstFrames: Record<string, FirstFrame>;
}

/** When a remote video first showed a frame, as epoch milliseconds (timeOrigin + now). */
export interface FirstFrame {
  participantId: string;
  /** The `aria-label` of the enclosing tile, i.e. the participant's name. */
  tileName: string | null;
  /** requestVideoFrameCallback: the first frame handed to the compositor. */
  presentedAt: number | null;
  /** `loadeddata`: the first frame decoded. */
  loadedAt: number | null;
}

declare global {
  interface Window {
    __kvProbe?: ProbeState;
    /** Close codes of the page's WebSockets, in order (see {@link recordSocketCloses}). */
    __kvSocketCloses?: number[];
  }
}

/**
 * Init script: wraps `RTCPeerConnection` so every connection the page creates is recorded,
 * and therefore its stats can be read. A subclass keeps `instanceof` and the static
 * `generateCertificate` working for mediasoup-client.
 */
export function recordPeerConnections(): void {
  const probe: ProbeState = window.__kvProbe ?? { peerConnections: [], firstFrames: {} };
  window.__kvProbe = probe;
  const Native = window.RTCPeerConnection;
  class RecordedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      probe.peerConnections.push(this);
    }
  }
  window.RTCPeerConnection = RecordedPeerConnection;
}

/**
 * Init script for the join benchmark: records, in sessionStorage so that it survives a
 * navigation, the moment a trusted click on "Join meeting" happens (capture phase, so before
 * the app's own handler), and the first frame of every remote video tile.
 */
export function recordJoinTiming(): void {
  const probe: ProbeState = window.__kvProbe ?? { peerConnections: [], firstFrames: {} };
  window.__kvProbe = probe;
  const epochNow = (): number => performance.timeOrigin + performance.now();
  window.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      const name = button?.getAttribute('aria-label') ?? button?.textContent ?? '';
      if (name.trim() === 'Join meeting')
        sessionStorage.setItem('kvJoinClickAt', String(epochNow()));
    },
    true,
  );
  const watched = new WeakSet<HTMLVideoElement>();
  const watch = (video: HTMLVideoElement): void => {
    const participantId = video.dataset.participantId;
    if (participantId === undefined || watched.has(video)) return;
    watched.add(video);
    const entry = (): FirstFrame => {
      const existing = probe.firstFrames[participantId];
      if (existing !== undefined) return existing;
      const created: FirstFrame = {
        participantId,
        tileName: video.closest('figure')?.getAttribute('aria-label') ?? null,
        presentedAt: null,
        loadedAt: null,
      };
      probe.firstFrames[participantId] = created;
      return created;
    };
    video.requestVideoFrameCallback(() => {
      const frame = entry();
      frame.presentedAt ??= epochNow();
    });
    const loaded = (): void => {
      const frame = entry();
      frame.loadedAt ??= epochNow();
    };
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) loaded();
    else video.addEventListener('loadeddata', loaded, { once: true });
  };
  const scan = (): void => {
    document.querySelectorAll<HTMLVideoElement>('video[data-participant-id]').forEach(watch);
  };
  new MutationObserver(scan).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-participant-id'],
  });
}

/** Media state of the page, read from the recorded peer connections. */
export interface MediaSnapshot {
  /** One entry per `video[data-participant-id]` showing a received track. */
  remoteVideos: RemoteVideo[];
  /** One entry per inbound audio RTP stream. */
  inboundAudio: { trackIdentifier: string; packetsReceived: number }[];
  /** One entry per sending transceiver whose media is video (camera). */
  videoSenders: { trackState: 'live' | 'ended' | null }[];
  /** One entry per sending transceiver whose media is audio (microphone). */
  audioSenders: { trackState: 'live' | 'ended' | null }[];
}

/** A received video as the page shows it. */
export interface RemoteVideo {
  participantId: string;
  tileName: string | null;
  trackId: string;
  framesDecoded: number | null;
}

/** Probe: reads stats of every recorded peer connection and maps them onto the page's video tiles. */
export async function snapshotMedia(): Promise<MediaSnapshot> {
  const pcs = (window.__kvProbe?.peerConnections ?? []).filter(
    (pc) => pc.signalingState !== 'closed',
  );
  const inbound: {
    kind: string;
    trackIdentifier: string;
    framesDecoded?: number;
    packetsReceived?: number;
  }[] = [];
  const receiverTrackIds = new Set<string>();
  const videoSenders: MediaSnapshot['videoSenders'] = [];
  const audioSenders: MediaSnapshot['audioSenders'] = [];
  for (const pc of pcs) {
    for (const transceiver of pc.getTransceivers()) {
      receiverTrackIds.add(transceiver.receiver.track.id);
      const sending =
        transceiver.currentDirection === 'sendonly' || transceiver.currentDirection === 'sendrecv';
      // The receiver's track kind tells the media kind even when the sender has no track.
      if (sending) {
        const senders = transceiver.receiver.track.kind === 'video' ? videoSenders : audioSenders;
        senders.push({ trackState: transceiver.sender.track?.readyState ?? null });
      }
    }
    let report: RTCStatsReport;
    try {
      report = await pc.getStats();
    } catch {
      continue; // closed while we were reading it
    }
    report.forEach(
      (stat: {
        type: string;
        kind: string;
        trackIdentifier: string;
        framesDecoded?: number;
        packetsReceived?: number;
      }) => {
        if (stat.type === 'inbound-rtp') inbound.push(stat);
      },
    );
  }
  const remoteVideos: RemoteVideo[] = [];
  for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-participant-id]')) {
    const source = video.srcObject;
    const track = source instanceof MediaStream ? source.getVideoTracks()[0] : undefined;
    if (track === undefined || !receiverTrackIds.has(track.id)) continue; // local preview, or no media yet
    const stat = inbound.find((s) => s.kind === 'video' && s.trackIdentifier === track.id);
    remoteVideos.push({
      participantId: video.dataset.participantId ?? '',
      tileName: video.closest('figure')?.getAttribute('aria-label') ?? null,
      trackId: track.id,
      framesDecoded: stat?.framesDecoded ?? null,
    });
  }
  const inboundAudio = inbound
    .filter((s) => s.kind === 'audio')
    .map((s) => ({ trackIdentifier: s.trackIdentifier, packetsReceived: s.packetsReceived ?? 0 }));
  return { remoteVideos, inboundAudio, videoSenders, audioSenders };
}

/** Probe: the first-frame records of {@link recordJoinTiming} plus the recorded click time. */
export function readJoinTiming(): { clickAt: number | null; firstFrames: FirstFrame[] } {
  const clickAt = sessionStorage.getItem('kvJoinClickAt');
  return {
    clickAt: clickAt === null ? null : Number(clickAt),
    firstFrames: Object.values(window.__kvProbe?.firstFrames ?? {}),
  };
}

/**
 * Init script: records the close code of every WebSocket the page opens, so a test can see
 * why the server closed the signalling socket (e.g. 4403 when the account session ended).
 */
export function recordSocketCloses(): void {
  const closes: number[] = window.__kvSocketCloses ?? [];
  window.__kvSocketCloses = closes;
  const Native = window.WebSocket;
  class RecordedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('close', (event) => {
        closes.push(event.code);
      });
    }
  }
  window.WebSocket = RecordedWebSocket;
}

/** Probe: the close codes recorded by {@link recordSocketCloses}. */
export function readSocketCloses(): number[] {
  return [...(window.__kvSocketCloses ?? [])];
}
