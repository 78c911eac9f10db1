import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The kinds of test file `makeMedia` writes with Debian's ffmpeg. */
export type MediaFixture = 'webm' | 'webm-noisy' | 'mp4' | 'ogg' | 'mkv-h264' | 'wav-adpcm';

const ARGS: Record<MediaFixture, { ext: string; args: string[] }> = {
  // Video and sound, the codecs every browser plays.
  webm: {
    ext: 'webm',
    args: ['-c:v', 'libvpx', '-b:v', '150k', '-c:a', 'libopus', '-shortest'],
  },
  // Noise does not compress: about 1.5 MB for 4 s, so the file spans several sealed chunks.
  'webm-noisy': {
    ext: 'webm',
    args: [
      '-vf',
      'noise=alls=60:allf=t',
      '-c:v',
      'libvpx',
      '-b:v',
      '3M',
      '-c:a',
      'libopus',
      '-shortest',
    ],
  },
  mp4: {
    ext: 'mp4',
    args: ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
  },
  ogg: { ext: 'ogg', args: ['-vn', '-c:a', 'libopus'] },
  // Playable containers with a codec browsers do not play in them.
  'mkv-h264': { ext: 'mkv', args: ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-an'] },
  'wav-adpcm': { ext: 'wav', args: ['-vn', '-c:a', 'adpcm_ms'] },
};

const cache = new Map<string, Buffer>();

/**
 * A small real media file (a test picture with a clock and a 440 Hz tone) of `seconds`,
 * written by ffmpeg and read back; the same kind and length are made once per process.
 */
export function makeMedia(kind: MediaFixture, seconds = 4): Buffer {
  const key = `${kind}:${String(seconds)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'konvent-media-'));
  try {
    const { ext, args } = ARGS[kind];
    const out = join(dir, `clip.${ext}`);
    execFileSync(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=25',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000',
        '-t',
        String(seconds),
        ...args,
        out,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const bytes = readFileSync(out);
    cache.set(key, bytes);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
