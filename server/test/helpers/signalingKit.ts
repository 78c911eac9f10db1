/**
 * Small pieces the signalling tests share: RTP parameters a browser would send, reading a
 * response frame, and polling for a condition.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaSource, ResponseFrame } from '@konvent/protocol';

/** RTP parameters a browser would send (mediasoup accepts them without DTLS). */
export const RTP: Record<MediaSource, object> = {
  microphone: {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: {},
        rtcpFeedback: [],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc: 11111111 }],
    rtcp: { cname: 'test' },
  },
  camera: {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc: 22222222 }],
    rtcp: { cname: 'test' },
  },
  // A screen share: one high layer (no simulcast), as the web client sends it.
  screen: {
    mid: '2',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc: 33333333, maxBitrate: 1_500_000 }],
    rtcp: { cname: 'test' },
  },
};

/** The error code of a failed response; undefined for a success. */
export function code(frame: ResponseFrame): string | undefined {
  return frame.ok ? undefined : frame.error.code;
}

/** The data of a successful response (fails the test otherwise). */
export function data(frame: ResponseFrame): unknown {
  assert.ok(frame.ok, JSON.stringify(frame));
  return frame.data;
}

/** Polls until the condition holds (or fails after 5 s). */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (condition()) return;
    await sleep(20);
  }
  throw new Error('condition not reached in 5 s');
}
