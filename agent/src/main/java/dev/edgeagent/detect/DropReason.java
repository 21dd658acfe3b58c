package dev.edgeagent.detect;

/** Why a frame was dropped instead of published; the label of edgeagent_frames_dropped_total. */
public enum DropReason {
  DETECTOR_ERROR("detector_error"),
  DETECTOR_TIMEOUT("detector_timeout"),
  DETECTOR_BAD_OUTPUT("detector_bad_output"),
  /** Every inference slot (inference.max_concurrent) stayed busy until the frame's time limit. */
  INFERENCE_BUSY("inference_busy"),
  REDACTION_ERROR("redaction_error"),
  PIPELINE_ERROR("pipeline_error"),
  ENCODE_ERROR("encode_error"),
  SINK_ERROR("sink_error"),
  /** Even at the minimum JPEG quality the record exceeds the producer's max.request.size. */
  RECORD_TOO_LARGE("record_too_large"),
  /** The broker did not acknowledge the record within the delivery timeout, or refused it. */
  DELIVERY_FAILED("delivery_failed"),
  QUEUE_FULL("queue_full_drop_oldest"),
  /** The frame's sequence number could not be saved (a full disk under the spool folder). */
  SEQUENCE_UNSAVED("sequence_unsaved");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
