/**
 * Detect: face and licence-plate detectors on ONNX Runtime (one shared session per model, sha256-verified), their *Translator pre/post-processing, provider selection with CUDA-to-CPU fallback, and the fail-closed checks that turn any detector fault into a counted drop reason.
 */
package dev.edgeagent.detect;
