import { Device, detectDeviceAsync } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import { Chrome74 } from 'mediasoup-client/handlers/Chrome74';
import { Firefox120 } from 'mediasoup-client/handlers/Firefox120';
import { Safari12 } from 'mediasoup-client/handlers/Safari12';

/**
 * The browser's own half of what `Device.load()` does: probing the native RTP and SCTP
 * capabilities takes a throw-away RTCPeerConnection and an offer per direction, which is
 * the slow part (the first RTCPeerConnection of a page starts the WebRTC stack). None of
 * it depends on the router, so it runs while the signalling socket is still opening and
 * `load()` later only combines the results with the router's capabilities.
 */
export interface DevicePreparation {
  /** A new, unloaded Device whose native capability probes were started in advance. */
  create: () => Promise<Device>;
}

function builtinFactory(name: string | undefined): types.HandlerFactory | undefined {
  switch (name) {
    case 'Chrome111':
      return Chrome111.createFactory();
    case 'Chrome74':
      return Chrome74.createFactory();
    case 'Firefox120':
      return Firefox120.createFactory();
    case 'Safari12':
      return Safari12.createFactory();
    default:
      return undefined;
  }
}

/** Wraps a handler factory so its native capability probes run once and can start early. */
function memoized(inner: types.HandlerFactory): types.HandlerFactory {
  const rtp = new Map<string, Promise<types.RtpCapabilities>>();
  let sctp: Promise<types.SctpCapabilities> | undefined;
  const factory: types.HandlerFactory = {
    name: inner.name,
    factory: (options) => inner.factory(options),
    getNativeRtpCapabilities: (options) => {
      const key = options.direction;
      let probe = rtp.get(key);
      if (!probe) {
        probe = inner.getNativeRtpCapabilities(options);
        // A failed probe is retried by the next caller rather than cached.
        probe.catch(() => rtp.delete(key));
        rtp.set(key, probe);
      }
      return probe;
    },
    getNativeSctpCapabilities: () => {
      sctp ??= inner.getNativeSctpCapabilities();
      return sctp;
    },
  };
  return factory;
}

/**
 * Starts probing the browser's media capabilities now (see `DevicePreparation`). Falls
 * back to mediasoup-client's own detection for browsers it has no preparation for.
 */
export function prepareDevice(): DevicePreparation {
  const handler = detectDeviceAsync().then((name) => {
    const builtin = builtinFactory(name);
    if (!builtin) return undefined;
    const prepared = memoized(builtin);
    // Both directions are what Device.load() asks for; errors surface there.
    void prepared.getNativeRtpCapabilities({ direction: 'recvonly' }).catch(() => undefined);
    void prepared.getNativeRtpCapabilities({ direction: 'sendonly' }).catch(() => undefined);
    void prepared.getNativeSctpCapabilities().catch(() => undefined);
    return prepared;
  });
  return {
    create: async () => {
      const handlerFactory = await handler.catch(() => undefined);
      return handlerFactory ? new Device({ handlerFactory }) : Device.factory();
    },
  };
}
