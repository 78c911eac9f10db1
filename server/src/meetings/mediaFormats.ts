import { AppError } from '../errors/AppError.ts';
import type { ProbedMedia } from './ports.ts';

/** What a container may hold to be played in every browser we support, and its MIME types. */
interface Container {
  /** How people call it, for refusals. */
  label: string;
  video: readonly string[];
  audio: readonly string[];
  mime: { video?: string; audio: string };
}

/**
 * The containers and codecs shared media accepts (C4): what Chromium, Firefox and Safari
 * play without plug-ins. Keyed by ffprobe's demuxer name list.
 */
const CONTAINERS: Record<string, Container> = {
  'matroska,webm': {
    label: 'WebM/Matroska',
    video: ['vp8', 'vp9', 'av1'],
    audio: ['opus', 'vorbis'],
    mime: { video: 'video/webm', audio: 'audio/webm' },
  },
  'mov,mp4,m4a,3gp,3g2,mj2': {
    label: 'MP4',
    video: ['h264', 'av1', 'vp9'],
    audio: ['aac', 'mp3', 'opus', 'flac'],
    mime: { video: 'video/mp4', audio: 'audio/mp4' },
  },
  ogg: { label: 'Ogg', video: [], audio: ['opus', 'vorbis', 'flac'], mime: { audio: 'audio/ogg' } },
  mp3: { label: 'MP3', video: [], audio: ['mp3'], mime: { audio: 'audio/mpeg' } },
  wav: {
    label: 'WAV',
    video: [],
    audio: ['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_f32le'],
    mime: { audio: 'audio/wav' },
  },
  flac: { label: 'FLAC', video: [], audio: ['flac'], mime: { audio: 'audio/flac' } },
};

/** Streams that may ride along unplayed (MP4 time codes, Matroska subtitles). */
const IGNORED = new Set(['data', 'subtitle']);

/** Largest picture side accepted: larger ones cost every viewer's decoder too much. */
const MAX_SIDE = 4096;

/** What an accepted file is. */
export interface MediaFormat {
  kind: 'audio' | 'video';
  mime: string;
  duration: number;
}

/**
 * Decides whether a probed file is shared media we play, and as what: its container must be
 * one of `CONTAINERS`, every audio and video stream of a codec that container allows, at
 * least one of them present, no picture larger than 4096 px a side, and a known length of
 * at most `maxSeconds`. Anything else is `bad_request` with the reason.
 */
export function classifyMedia(probed: ProbedMedia, maxSeconds: number): MediaFormat {
  const container = CONTAINERS[probed.format];
  if (container === undefined)
    throw new AppError(
      'bad_request',
      'The file is not in a container we play (WebM, MP4, Ogg, MP3, WAV or FLAC).',
    );
  let video = 0;
  let audio = 0;
  for (const stream of probed.streams) {
    if (stream.type === 'video') {
      if (!container.video.includes(stream.codec))
        throw new AppError(
          'bad_request',
          `The video codec ${stream.codec} is not one we play in ${container.label}.`,
        );
      if ((stream.width ?? 0) > MAX_SIDE || (stream.height ?? 0) > MAX_SIDE)
        throw new AppError('bad_request', `The picture is larger than ${String(MAX_SIDE)} px.`);
      video += 1;
    } else if (stream.type === 'audio') {
      if (!container.audio.includes(stream.codec))
        throw new AppError(
          'bad_request',
          `The audio codec ${stream.codec} is not one we play in ${container.label}.`,
        );
      audio += 1;
    } else if (!IGNORED.has(stream.type)) {
      throw new AppError('bad_request', `The file holds a ${stream.type} stream we do not play.`);
    }
  }
  if (video + audio === 0) throw new AppError('bad_request', 'The file holds no audio or video.');
  if (video > 1) throw new AppError('bad_request', 'The file holds more than one video stream.');
  if (probed.duration === undefined)
    throw new AppError('bad_request', 'The file does not say how long it is.');
  if (probed.duration > maxSeconds)
    throw new AppError(
      'bad_request',
      `The file is longer than ${String(Math.floor(maxSeconds / 60))} minutes.`,
    );
  const kind = video > 0 ? 'video' : 'audio';
  const mime = kind === 'video' ? container.mime.video : container.mime.audio;
  if (mime === undefined) throw new AppError('bad_request', 'The file is not one we play.');
  return { kind, mime, duration: probed.duration };
}
