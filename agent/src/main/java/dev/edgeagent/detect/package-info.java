/**
 * Detect: face and licence-plate detectors on ONNX Runtime (one shared session per model, sha256-verified), their *Translator pre/post-processing, provider selection (cpu, cuda, tensorrt, auto) with one visible fallback to the CPU or a refusal under inference.require_gpu, the process's ONNX Runtime native libraries (from the jar or a folder, version-checked), the hot path's pooled input/output buffers and pinned outputs (TensorBuffers, PinnedOutputs), YuNet runs of several cameras merged into one model run (RunBatcher, inference.batch_window_ms), and the fail-closed checks that turn any detector fault into a counted drop reason.
 */
package dev.edgeagent.detect;
