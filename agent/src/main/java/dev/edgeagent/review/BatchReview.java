package dev.edgeagent.review;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.detect.Box;
import dev.edgeagent.pipeline.RegionReview;
import dev.edgeagent.track.TrackedBox;
import java.io.IOException;
import java.nio.file.Path;
import org.opencv.core.Mat;

/**
 * The anonymize command's review of a run: an explicit keep list (optional) decides which
 * regions stay unredacted, and a review folder (optional) gets a thumbnail of every region,
 * kept or not. A failure to write the folder does not touch the redaction: it is remembered,
 * writing stops, and {@link #finish} reports it.
 */
public final class BatchReview implements RegionReview, AutoCloseable {
  private final KeepList keepList;
  private final ReviewPage page;
  private final Path dir;
  private final boolean tracked;
  private IOException writeFailure;

  private BatchReview(KeepList keepList, ReviewPage page, Path dir, boolean tracked) {
    this.keepList = keepList;
    this.page = page;
    this.dir = dir;
    this.tracked = tracked;
  }

  /**
   * @param keepList the keep list to apply, or null
   * @param reviewDir where to write the page and keep.txt, or null
   * @param settings one line on the page saying how the run was configured
   * @param tracked whether the frames form one sequence, so track ids link regions across frames
   *     (unrelated stills: each region is its own)
   */
  public static BatchReview open(KeepList keepList, Path reviewDir, InputFingerprint input, String settings,
      boolean tracked) throws IOException {
    return new BatchReview(keepList, reviewDir == null ? null : new ReviewPage(reviewDir, input, settings), reviewDir,
        tracked);
  }

  @Override
  public String review(FrameMeta meta, Mat rawPixels, TrackedBox region, Box removed) {
    String keep = keepList == null ? null : keepList.keepReason(meta.sequence(), region.detection());
    if (page != null && writeFailure == null) {
      try {
        page.add(meta.sequence(), meta.sourceName(), meta.hasMediaTime() ? meta.mediaMicros() : -1,
            tracked ? region.trackId() : dev.edgeagent.pipeline.FrameProcessor.NO_TRACK,
            region.detection(), removed, Thumbnail.of(rawPixels, removed), keep);
      } catch (IOException e) {
        writeFailure = e;
      }
    }
    return keep;
  }

  /** The keep list in use, or null. */
  public KeepList keepList() {
    return keepList;
  }

  /** Regions on the review page so far (0 without one). */
  public long reviewed() {
    return page == null ? 0 : page.regions();
  }

  /**
   * Completes the review folder; {@code incomplete} says why the run stopped early (or null).
   *
   * @throws IOException when the folder could not be written, now or during the run
   */
  public void finish(String incomplete) throws IOException {
    if (page == null) {
      return;
    }
    if (writeFailure != null) {
      throw new IOException("writing the review folder " + dir + " failed: " + writeFailure.getMessage(), writeFailure);
    }
    page.finish(incomplete);
  }

  /** The folder's index.html, once finished. */
  public Path pageFile() {
    return dir == null ? null : dir.resolve(ReviewPage.PAGE);
  }

  @Override
  public void close() throws IOException {
    if (page != null) {
      page.close();
    }
  }
}
