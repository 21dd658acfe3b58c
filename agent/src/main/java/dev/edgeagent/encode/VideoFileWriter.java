package dev.edgeagent.encode;

import dev.edgeagent.capture.DisplayRotation;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.redact.AnonymizedFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Writes anonymized frames to a video file (container from the extension: .mp4, .mov, .mkv,
 * .avi, .webm), faithful to the source video when one is given:
 * <ul>
 *   <li>each frame keeps its presentation time ({@link FrameMeta#mediaMicros()}) in the source
 *       stream's time base, so frame rate, variable frame rate and duration are the source's;
 *   <li>audio and subtitle streams are copied packet for packet (bit-identical), interleaved
 *       by time, unless {@link VideoOptions} turns them off;
 *   <li>container and stream metadata (creation time, language, handler), colour tags, the
 *       sample aspect ratio and the display rotation matrix are carried over; frames arrive
 *       upright ({@link DisplayRotation}) and are turned back, so the output is stored like
 *       its input.
 * </ul>
 * The file is written under a hidden temporary name and renamed on {@link #close()}, so an
 * interrupted or {@linkplain #abort() aborted} run leaves no truncated video under the
 * requested name.
 */
public final class VideoFileWriter implements FrameSink {
  private final Path target;
  private final Path tmp;
  private final String extension;
  private final VideoOptions options;
  private final Path source;
  private final double fallbackFps;
  private final List<String> skippedStreams = new ArrayList<>();
  private int copiedAudio;
  private int copiedSubtitles;
  private long repairedTimestamps;

  private SourceStreams src;
  private int[] outIndexOf = new int[0];
  private AVFormatContext oc;
  private AVCodecContext enc;
  private AVStream vst;
  private AVFrame yuv;
  private SwsContext sws;
  private AVPacket pkt;
  private AVPacket held;
  private long lastInterval;
  private DisplayRotation rotation = DisplayRotation.NONE;
  private int storedWidth;
  private int storedHeight;
  private long framesWritten;
  /** The run stops after this many frames (pipeline.max_frames), 0 for the whole source. */
  private long frameLimit;
  /** Where the last written video frame ends, in seconds of the output. */
  private double videoEndSeconds = Double.NEGATIVE_INFINITY;
  private long lastPts = Long.MIN_VALUE;

  /**
   * @param source the video the frames were decoded from (its timing, audio and metadata are
   *     carried over), or null for frames with no source video (constant {@code fallbackFps})
   */
  public VideoFileWriter(Path target, VideoOptions options, Path source, double fallbackFps) throws IOException {
    this.target = target;
    String name = target.getFileName().toString();
    this.extension = extension(name);
    this.tmp = target.resolveSibling("." + name + ".part" + extension);
    this.options = options;
    this.source = source;
    this.fallbackFps = fallbackFps > 0 && fallbackFps < 1000 ? fallbackFps : 25.0;
    VideoCodec codec = options.codecFor(extension);
    if (avcodec.avcodec_find_encoder_by_name(codec.encoder()) == null) {
      throw new IOException("this FFmpeg build has no " + codec.encoder() + " encoder; choose another --codec");
    }
    var container = avformat.av_guess_format(null, name, null);
    if (container == null || container.isNull()) {
      throw new IOException("no video container for " + name + "; name the output .mp4, .mov, .mkv, .avi or .webm");
    }
    if (avformat.avformat_query_codec(container, avcodec.avcodec_find_encoder_by_name(codec.encoder()).id(),
        avcodec.FF_COMPLIANCE_NORMAL) == 0) {
      throw new IOException("a " + extension + " file cannot hold " + codec.label() + " video; use .mkv, or another --codec");
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
  }

  /** Frames at a constant rate with no source video (fleet-side tools). */
  public VideoFileWriter(Path target, double fps) throws IOException {
    this(target, VideoOptions.defaults(), null, fps);
  }

  /**
   * The run will stop after {@code frames} frames (pipeline.max_frames): when it does, the
   * source's audio and subtitles are copied only up to the end of the last frame written, so a
   * clip cut to its first frames is not followed by minutes of sound over nothing.
   */
  public VideoFileWriter limitedTo(long frames) {
    this.frameLimit = frames;
    return this;
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? ".mp4" : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  /** Audio streams copied from the source (0 before the first frame). */
  public int copiedAudioStreams() {
    return copiedAudio;
  }

  public int copiedSubtitleStreams() {
    return copiedSubtitles;
  }

  /** Source streams not copied, each with why ("data stream 2 (bin_data): not storable in .mp4"). */
  public List<String> skippedStreams() {
    return List.copyOf(skippedStreams);
  }

  /** Frames whose source time was missing or out of order and was replaced by the next free one. */
  public long repairedTimestamps() {
    return repairedTimestamps;
  }

  @Override
  public void accept(AnonymizedFrame f) throws IOException {
    write(f.pixels(), f.meta().hasMediaTime() ? f.meta().mediaMicros() : FrameMeta.NO_MEDIA_TIME);
  }

  /**
   * A video of images already published as anonymized records (the fleet side's `consume
   * --video`), in the given order. Frames of another size are scaled to the first one's.
   *
   * @return frames written
   */
  public static int fromPublishedJpegs(List<Path> jpegs, Path target, double fps) throws IOException {
    VideoFileWriter w = new VideoFileWriter(target, fps);
    int n = 0;
    try {
      for (Path p : jpegs) {
        Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
        try {
          if (m.empty()) {
            continue;
          }
          w.write(m, FrameMeta.NO_MEDIA_TIME);
          n++;
        } finally {
          m.release();
        }
      }
    } catch (IOException | RuntimeException e) {
      w.abort(e.toString());
      throw e;
    }
    w.close();
    return n;
  }

  private void write(Mat upright, long mediaMicros) throws IOException {
    if (oc == null) {
      start(upright.cols(), upright.rows());
    }
    Mat m = upright;
    boolean owned = false;
    try {
      if (rotation != DisplayRotation.NONE) {
        m = upright.clone();
        owned = true;
        rotation.toStored(m);
      }
      if (m.cols() != storedWidth || m.rows() != storedHeight) {
        Mat scaled = new Mat();
        Imgproc.resize(m, scaled, new Size(storedWidth, storedHeight));
        if (owned) {
          m.release();
        }
        m = scaled;
        owned = true;
      } else if (!m.isContinuous()) {
        m = m.clone();
        owned = true;
      }
      encode(m, ptsFor(mediaMicros));
    } finally {
      if (owned) {
        m.release();
      }
    }
  }

  /** The frame's time in the encoder's time base, kept strictly increasing. */
  private long ptsFor(long mediaMicros) {
    AVRational tb = enc.time_base();
    long pts;
    if (mediaMicros != FrameMeta.NO_MEDIA_TIME && mediaMicros > Long.MIN_VALUE / 4) {
      pts = Math.round(mediaMicros / 1e6 * tb.den() / tb.num());
    } else if (lastPts == Long.MIN_VALUE) {
      pts = 0;
    } else {
      pts = lastPts + Math.max(1, avutil.av_rescale_q(1, avutil.av_inv_q(enc.framerate()), tb));
      repairedTimestamps += source != null ? 1 : 0;
    }
    if (lastPts != Long.MIN_VALUE && pts <= lastPts) {
      pts = lastPts + 1;
      repairedTimestamps++;
    }
    lastPts = pts;
    return pts;
  }

  private void encode(Mat bgr, long pts) throws IOException {
    check(avutil.av_frame_make_writable(yuv), "preparing a frame");
    Pointer data = new Pointer() {
      {
        address = bgr.dataAddr();
      }
    };
    PointerPointer<Pointer> srcPlanes = new PointerPointer<>(1).put(0, data);
    IntPointer srcStride = new IntPointer(1).put(0, (int) bgr.step1() * (int) bgr.elemSize1());
    try {
      swscale.sws_scale(sws, srcPlanes, srcStride, 0, storedHeight, yuv.data(), yuv.linesize());
    } finally {
      srcPlanes.close();
      srcStride.close();
    }
    yuv.pts(pts);
    check(avcodec.avcodec_send_frame(enc, yuv), "encoding frame " + framesWritten);
    drainEncoder();
    framesWritten++;
  }

  /**
   * Writes what the encoder has produced. Each packet waits for the next one, whose time gives
   * its duration (a variable-rate frame lasts until the next); {@link #close()} writes the last.
   */
  private void drainEncoder() throws IOException {
    while (true) {
      int ret = avcodec.avcodec_receive_packet(enc, pkt);
      if (ret == avutil.AVERROR_EAGAIN() || ret == avutil.AVERROR_EOF()) {
        return;
      }
      check(ret, "encoding");
      if (held != null) {
        writeHeld(pkt.pts() - held.pts());
      } else {
        held = avcodec.av_packet_alloc();
      }
      avcodec.av_packet_move_ref(held, pkt);
    }
  }

  private void writeHeld(long durationInEncoderBase) throws IOException {
    if (durationInEncoderBase > 0) {
      held.duration(durationInEncoderBase);
      lastInterval = durationInEncoderBase;
    }
    avcodec.av_packet_rescale_ts(held, enc.time_base(), vst.time_base());
    held.stream_index(vst.index());
    if (held.pts() != avutil.AV_NOPTS_VALUE) {
      videoEndSeconds = Math.max(videoEndSeconds, (held.pts() + Math.max(0, held.duration())) * avutil.av_q2d(vst.time_base()));
    }
    long t = held.dts() != avutil.AV_NOPTS_VALUE ? held.dts() : held.pts();
    copySourcePacketsUntil(t == avutil.AV_NOPTS_VALUE ? Double.NEGATIVE_INFINITY : t * avutil.av_q2d(vst.time_base()));
    check(avformat.av_interleaved_write_frame(oc, held), "writing video");
  }

  /**
   * The last frame lasts until the source video's end when that is known and plausible, else
   * as long as the frame before it.
   */
  private long lastFrameDuration() {
    long frame = lastInterval > 0 ? lastInterval
        : Math.max(1, avutil.av_rescale_q(1, avutil.av_inv_q(enc.framerate()), enc.time_base()));
    AVStream v = src == null ? null : src.video();
    if (v == null || v.duration() == avutil.AV_NOPTS_VALUE || v.duration() <= 0) {
      return frame;
    }
    long start = v.start_time() == avutil.AV_NOPTS_VALUE ? 0 : v.start_time();
    long end = avutil.av_rescale_q(start + v.duration(), v.time_base(), enc.time_base());
    long rest = end - held.pts();
    return rest > 0 && rest <= 4 * frame ? rest : frame;
  }

  /** Copies the source's audio/subtitle packets up to {@code seconds}, so the file stays interleaved. */
  private void copySourcePacketsUntil(double seconds) throws IOException {
    if (src == null) {
      return;
    }
    for (AVPacket p = src.peek(); p != null; p = src.peek()) {
      if (src.peekedSeconds() > seconds) {
        return;
      }
      int in = p.stream_index();
      AVStream out = oc.streams(outIndexOf[in]);
      avcodec.av_packet_rescale_ts(p, src.stream(in).time_base(), out.time_base());
      p.stream_index(outIndexOf[in]);
      p.pos(-1);
      int ret = avformat.av_interleaved_write_frame(oc, p); // takes the packet's reference
      src.consume();
      check(ret, "copying the source's audio");
    }
  }

  private void start(int uprightWidth, int uprightHeight) throws IOException {
    try {
      if (source != null) {
        src = new SourceStreams(source);
      }
      AVStream srcVideo = src == null ? null : src.video();
      rotation = srcVideo == null ? DisplayRotation.NONE : DisplayRotation.fromFfmpegDegrees(displayRotation(srcVideo));
      storedWidth = rotation.swapsSides() ? uprightHeight : uprightWidth;
      storedHeight = rotation.swapsSides() ? uprightWidth : uprightHeight;
      oc = new AVFormatContext(null);
      check(avformat.avformat_alloc_output_context2(oc, null, null, tmp.toString()),
          "choosing the container of " + target);
      openEncoder(srcVideo);
      addVideoStream(srcVideo);
      if (src != null) {
        addCopiedStreams();
        AVDictionary meta = new AVDictionary(null);
        avutil.av_dict_copy(meta, src.context().metadata(), 0);
        oc.metadata(meta);
      }
      AVIOContext pb = new AVIOContext(null);
      check(avformat.avio_open(pb, tmp.toString(), avformat.AVIO_FLAG_WRITE), "creating " + tmp);
      oc.pb(pb);
      check(avformat.avformat_write_header(oc, (AVDictionary) null), "writing the header of " + target);
      pkt = avcodec.av_packet_alloc();
      yuv = avutil.av_frame_alloc();
      yuv.format(enc.pix_fmt()).width(storedWidth).height(storedHeight);
      check(avutil.av_frame_get_buffer(yuv, 32), "allocating a frame");
      sws = swscale.sws_getContext(storedWidth, storedHeight, avutil.AV_PIX_FMT_BGR24, storedWidth, storedHeight,
          enc.pix_fmt(), swscale.SWS_BICUBIC, null, null, (double[]) null);
      if (sws == null) {
        throw new IOException("cannot convert BGR frames to " + options.codecFor(extension).label() + "'s pixel format");
      }
    } catch (IOException | RuntimeException e) {
      release();
      deleteTmp();
      throw e instanceof IOException io ? io : new IOException("cannot create video " + target + ": " + e, e);
    }
  }

  private static double displayRotation(AVStream st) {
    AVCodecParameters p = st.codecpar();
    AVPacketSideData sd = avcodec.av_packet_side_data_get(p.coded_side_data(), p.nb_coded_side_data(),
        avcodec.AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.size() < 36) {
      return 0;
    }
    return avutil.av_display_rotation_get(new IntPointer(sd.data()));
  }

  private void openEncoder(AVStream srcVideo) throws IOException {
    VideoCodec codec = options.codecFor(extension);
    AVCodec encoder = avcodec.avcodec_find_encoder_by_name(codec.encoder());
    enc = avcodec.avcodec_alloc_context3(encoder);
    enc.width(storedWidth).height(storedHeight).pix_fmt(codec.pixelFormat());
    AVRational rate = srcVideo != null && srcVideo.avg_frame_rate().num() > 0
        ? srcVideo.avg_frame_rate() : avutil.av_d2q(fallbackFps, 100_000);
    enc.framerate(rate);
    enc.time_base(timeBase(codec, srcVideo, rate));
    enc.gop_size((int) Math.max(1, Math.round(2 * avutil.av_q2d(rate))));
    enc.max_b_frames(0); // every frame leaves the encoder in order: no reordering delay to flush
    if (srcVideo != null) {
      AVCodecParameters p = srcVideo.codecpar();
      enc.color_primaries(p.color_primaries()).color_trc(p.color_trc()).colorspace(p.color_space());
      if (p.sample_aspect_ratio().num() > 0) {
        enc.sample_aspect_ratio(p.sample_aspect_ratio());
      }
    }
    // swscale's BGR -> YUV is limited range, the inverse of how the frames were decoded to BGR
    enc.color_range(codec == VideoCodec.MJPEG ? avutil.AVCOL_RANGE_JPEG : avutil.AVCOL_RANGE_MPEG);
    if ((oc.oformat().flags() & avformat.AVFMT_GLOBALHEADER) != 0) {
      enc.flags(enc.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary opts = new AVDictionary(null);
    for (Map.Entry<String, String> o : codec.applyQuality(enc, options.crf()).entrySet()) {
      avutil.av_dict_set(opts, o.getKey(), o.getValue(), 0);
    }
    int ret = avcodec.avcodec_open2(enc, encoder, opts);
    avutil.av_dict_free(opts);
    check(ret, "opening the " + codec.encoder() + " encoder at " + storedWidth + "x" + storedHeight);
  }

  /**
   * The source stream's time base, so every source timestamp is representable; MPEG-4 Part 2
   * cannot store one with a denominator above 65535, so it gets the frame rate's instead.
   */
  private static AVRational timeBase(VideoCodec codec, AVStream srcVideo, AVRational rate) {
    if (srcVideo != null && srcVideo.time_base().num() > 0
        && (codec != VideoCodec.MPEG4 || srcVideo.time_base().den() <= 65535)) {
      return srcVideo.time_base();
    }
    AVRational inv = avutil.av_inv_q(rate);
    if (codec == VideoCodec.MPEG4 && inv.den() > 65535) {
      return avutil.av_make_q(1, 1000);
    }
    return inv;
  }

  private void addVideoStream(AVStream srcVideo) throws IOException {
    vst = avformat.avformat_new_stream(oc, null);
    check(avcodec.avcodec_parameters_from_context(vst.codecpar(), enc), "describing the video stream");
    vst.time_base(enc.time_base());
    vst.avg_frame_rate(enc.framerate());
    if (srcVideo == null) {
      vst.r_frame_rate(enc.framerate());
      return;
    }
    vst.r_frame_rate(srcVideo.r_frame_rate());
    vst.disposition(srcVideo.disposition());
    AVDictionary meta = new AVDictionary(null);
    avutil.av_dict_copy(meta, srcVideo.metadata(), 0);
    avutil.av_dict_set(meta, "encoder", null, 0); // the source's encoder did not write this stream
    vst.metadata(meta);
    copySideData(srcVideo.codecpar(), vst.codecpar(), avcodec.AV_PKT_DATA_DISPLAYMATRIX);
  }

  private static void copySideData(AVCodecParameters from, AVCodecParameters to, int type) {
    AVPacketSideData sd = avcodec.av_packet_side_data_get(from.coded_side_data(), from.nb_coded_side_data(), type);
    if (sd == null || sd.isNull() || sd.size() <= 0) {
      return;
    }
    BytePointer copy = new BytePointer(avutil.av_malloc(sd.size())).capacity(sd.size());
    Pointer.memcpy(copy, sd.data(), sd.size());
    AVPacketSideData array = to.coded_side_data() == null ? new AVPacketSideData(null) : to.coded_side_data();
    IntPointer nb = new IntPointer(1).put(0, to.nb_coded_side_data());
    AVPacketSideData added = avcodec.av_packet_side_data_add(array, nb, type, copy, sd.size(), 0);
    if (added == null || added.isNull()) {
      avutil.av_free(copy);
      return;
    }
    to.coded_side_data(array);
    to.nb_coded_side_data(nb.get(0));
  }

  private void addCopiedStreams() throws IOException {
    outIndexOf = new int[src.streamCount()];
    for (int i = 0; i < src.streamCount(); i++) {
      outIndexOf[i] = -1;
      AVStream in = src.stream(i);
      AVCodecParameters p = in.codecpar();
      String kind = SourceStreams.isAudio(p) ? "audio" : SourceStreams.isSubtitle(p) ? "subtitle" : null;
      if (p.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
        // JavaCPP wraps each fc.streams(i) call in a new object: compare the streams by index
        if (src.video() == null || in.index() != src.video().index()) {
          skippedStreams.add("video stream " + i + ": only the first video stream is anonymized and written");
        }
        continue;
      }
      String codecName = avcodec.avcodec_get_name(p.codec_id()).getString();
      if (kind == null || ("audio".equals(kind) && !options.copyAudio()) || ("subtitle".equals(kind) && !options.copySubtitles())) {
        skippedStreams.add((kind == null ? "data" : kind) + " stream " + i + " (" + codecName + "): "
            + (kind == null ? "data streams are not copied" : "turned off"));
        src.skip(i);
        continue;
      }
      if (avformat.avformat_query_codec(oc.oformat(), p.codec_id(), avcodec.FF_COMPLIANCE_NORMAL) != 1) {
        skippedStreams.add(kind + " stream " + i + " (" + codecName + "): a " + extension + " file cannot hold it;"
            + " use .mkv to keep it");
        src.skip(i);
        continue;
      }
      AVStream out = avformat.avformat_new_stream(oc, null);
      check(avcodec.avcodec_parameters_copy(out.codecpar(), p), "copying " + kind + " stream " + i);
      out.codecpar().codec_tag(0);
      out.time_base(in.time_base());
      out.disposition(in.disposition());
      AVDictionary meta = new AVDictionary(null);
      avutil.av_dict_copy(meta, in.metadata(), 0);
      out.metadata(meta);
      outIndexOf[i] = out.index();
      if ("audio".equals(kind)) {
        copiedAudio++;
      } else {
        copiedSubtitles++;
      }
    }
  }

  private static void check(int ret, String what) throws IOException {
    if (ret < 0) {
      throw new IOException(what + " failed: " + FfmpegErrors.text(ret));
    }
  }

  @Override
  public void close() throws IOException {
    if (oc == null) {
      return;
    }
    try {
      check(avcodec.avcodec_send_frame(enc, null), "flushing the encoder");
      drainEncoder();
      if (held != null) {
        writeHeld(lastFrameDuration());
      }
      boolean cutByLimit = frameLimit > 0 && framesWritten >= frameLimit;
      copySourcePacketsUntil(cutByLimit ? videoEndSeconds : Double.POSITIVE_INFINITY);
      check(avformat.av_write_trailer(oc), "finishing " + target);
    } catch (IOException | RuntimeException e) {
      release();
      deleteTmp();
      throw e;
    }
    release();
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Gives up: the partial file is deleted and nothing appears under the requested name. */
  @Override
  public void abort(String why) {
    release();
    deleteTmp();
  }

  private void deleteTmp() {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // best effort: the hidden .part name already says it is not a finished video
    }
  }

  private void release() {
    if (sws != null) {
      swscale.sws_freeContext(sws);
      sws = null;
    }
    if (yuv != null) {
      avutil.av_frame_free(yuv);
      yuv = null;
    }
    if (pkt != null) {
      avcodec.av_packet_free(pkt);
      pkt = null;
    }
    if (held != null) {
      avcodec.av_packet_free(held);
      held = null;
    }
    if (enc != null) {
      avcodec.avcodec_free_context(enc);
      enc = null;
    }
    if (oc != null) {
      if (oc.pb() != null && !oc.pb().isNull()) {
        avformat.avio_closep(oc.pb());
      }
      avformat.avformat_free_context(oc);
      oc = null;
    }
    if (src != null) {
      src.close();
      src = null;
    }
  }
}
