package dev.edgeagent.detect;

import ai.onnxruntime.OrtSession;
import java.util.Map;

/**
 * A session and the provider it actually got.
 *
 * @param refused each provider tried before it that did not load, with ONNX Runtime's reason
 */
public record OpenedSession(OrtSession session, InferenceProvider provider, Map<InferenceProvider, String> refused) {}
