/**
 * Eval: measures what the agent actually redacts against annotated images (COCO format):
 * recall (a ground-truth box counts as found when at least 90% of it lies inside the redaction
 * mask), precision, recall by box size, and throughput; and the image quality (PSNR/SSIM on
 * luma) of super-resolution for eval-sr.
 */
package dev.edgeagent.eval;
