/**
 * The codecs every meeting router offers. Opus for audio (audio first: it is what must
 * always work); VP8 for video, which every current browser sends and which supports
 * simulcast in all of them. H264 is left out until a client needs it.
 */
import type { types as ms } from 'mediasoup';

/** Router media codecs. */
export const MEDIA_CODECS: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1000 },
  },
];

/** Bandwidth estimate a new transport starts with before it has measured anything. */
export const INITIAL_OUTGOING_BITRATE = 1_000_000;
/** Most a browser may send into one send transport (three simulcast layers fit). */
export const MAX_INCOMING_BITRATE = 3_000_000;
