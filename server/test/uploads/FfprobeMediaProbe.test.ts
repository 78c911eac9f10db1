import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FfprobeMediaProbe } from '../../src/uploads/FfprobeMediaProbe.ts';
import { makeMedia } from '../helpers/mediaFixture.ts';

describe('FfprobeMediaProbe (Debian ffprobe)', () => {
  test('reads container, length and streams of a real file from tmpfs', async () => {
    const probed = await new FfprobeMediaProbe().probe(makeMedia('webm', 3));
    assert.equal(probed.format, 'matroska,webm');
    assert.ok(probed.duration !== undefined && Math.abs(probed.duration - 3) < 0.1);
    assert.deepEqual(
      probed.streams.map((s) => [s.type, s.codec]),
      [
        ['video', 'vp8'],
        ['audio', 'opus'],
      ],
    );
    assert.equal(probed.streams[0]?.width, 320);
  });

  test('without a usable tmpfs it probes from a pipe: an Ogg file then has no known length', async () => {
    for (const scratch of [null, '/nonexistent-konvent-scratch']) {
      const probe = new FfprobeMediaProbe({ scratch });
      const webm = await probe.probe(makeMedia('webm', 3));
      assert.equal(webm.format, 'matroska,webm');
      const ogg = await probe.probe(makeMedia('ogg', 3));
      assert.equal(ogg.format, 'ogg');
      assert.equal(ogg.duration, undefined);
    }
    // From tmpfs the same Ogg file's length is known.
    const ogg = await new FfprobeMediaProbe().probe(makeMedia('ogg', 3));
    assert.ok(ogg.duration !== undefined && Math.abs(ogg.duration - 3) < 0.1);
  });

  test('playlists and other files that would make it open something else are not read', async () => {
    const probe = new FfprobeMediaProbe();
    const lures = [
      'ffconcat version 1.0\nfile /etc/passwd\n',
      '#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/evil.ts\n#EXT-X-ENDLIST\n',
      'not media at all',
    ];
    for (const lure of lures)
      await assert.rejects(probe.probe(Buffer.from(lure)), { code: 'bad_request' }, lure);
  });

  test('a missing ffprobe is unavailable, not a refusal of the file', async () => {
    const probe = new FfprobeMediaProbe({ command: '/nonexistent/ffprobe' });
    await assert.rejects(probe.probe(makeMedia('webm', 1)), { code: 'unavailable' });
  });
});
