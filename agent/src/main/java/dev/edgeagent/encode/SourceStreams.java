package dev.edgeagent.encode;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The source video's container, opened a second time by the writer for what anonymization
 * does not touch: its video stream's timing and tags, and the packets of its other streams
 * (audio, subtitles), which are copied into the output without decoding. Video packets are
 * discarded unread ({@code AVDISCARD_ALL}): the only pixels this class could see are the
 * source's, and it never decodes them.
 */
final class SourceStreams implements AutoCloseable {
  private final AVFormatContext fc;
  private final AVStream video;
  private final AVPacket packet = avcodec.av_packet_alloc();
  private boolean ended;
  private boolean pending;

  SourceStreams(Path source) throws IOException {
    AVFormatContext ctx = new AVFormatContext(null);
    int ret = avformat.avformat_open_input(ctx, source.toString(), null, null);
    if (ret < 0) {
      avcodec.av_packet_free(packet);
      throw new IOException("cannot reopen " + source + " to copy its audio and timing: " + FfmpegErrors.text(ret));
    }
    this.fc = ctx;
    ret = avformat.avformat_find_stream_info(fc, (PointerPointer<?>) null);
    if (ret < 0) {
      close();
      throw new IOException("cannot read the streams of " + source + ": " + FfmpegErrors.text(ret));
    }
    AVStream firstVideo = null;
    for (int i = 0; i < fc.nb_streams(); i++) {
      AVStream st = fc.streams(i);
      if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
        if (firstVideo == null) {
          firstVideo = st;
        }
        st.discard(avcodec.AVDISCARD_ALL);
      }
    }
    this.video = firstVideo;
  }

  AVFormatContext context() {
    return fc;
  }

  /** The video stream the frames were decoded from (the first), or null. */
  AVStream video() {
    return video;
  }

  int streamCount() {
    return fc.nb_streams();
  }

  AVStream stream(int index) {
    return fc.streams(index);
  }

  /** Stops reading a stream that is not copied. */
  void skip(int index) {
    fc.streams(index).discard(avcodec.AVDISCARD_ALL);
  }

  static boolean isAudio(AVCodecParameters p) {
    return p.codec_type() == avutil.AVMEDIA_TYPE_AUDIO;
  }

  static boolean isSubtitle(AVCodecParameters p) {
    return p.codec_type() == avutil.AVMEDIA_TYPE_SUBTITLE;
  }

  /**
   * The next packet of a stream not discarded, or null at the end. The returned packet is
   * reused: valid until the next call or {@link #consume()}.
   */
  AVPacket peek() throws IOException {
    while (!pending && !ended) {
      int ret = avformat.av_read_frame(fc, packet);
      if (ret == avutil.AVERROR_EOF()) {
        ended = true;
      } else if (ret < 0) {
        throw new IOException("reading the source's audio failed: " + FfmpegErrors.text(ret));
      } else if (fc.streams(packet.stream_index()).discard() == avcodec.AVDISCARD_ALL) {
        avcodec.av_packet_unref(packet);
      } else {
        pending = true;
      }
    }
    return pending ? packet : null;
  }

  /** The peeked packet was used (its data handed on or unreferenced). */
  void consume() {
    avcodec.av_packet_unref(packet);
    pending = false;
  }

  /** The peeked packet's time in seconds (its DTS, else its PTS), or -infinity when it has none. */
  double peekedSeconds() {
    long t = packet.dts() != avutil.AV_NOPTS_VALUE ? packet.dts() : packet.pts();
    if (t == avutil.AV_NOPTS_VALUE) {
      return Double.NEGATIVE_INFINITY;
    }
    return t * avutil.av_q2d(fc.streams(packet.stream_index()).time_base());
  }

  @Override
  public void close() {
    avcodec.av_packet_free(packet);
    avformat.avformat_close_input(fc);
  }
}
