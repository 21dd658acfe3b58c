/**
 * Doctor: probes of what this box has for the agent (CPU, memory, GPU and driver, CUDA, cuDNN and
 * TensorRT libraries, ONNX Runtime providers that really load, each configured model's timing,
 * spool disk, cameras), one small probe per concern, gathered into one report for
 * {@code edge-agent doctor}. Probes only read; none changes the box.
 */
package dev.edgeagent.doctor;
