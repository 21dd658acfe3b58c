/**
 * Encode: turns an AnonymizedFrame into JPEG bytes ({@link dev.edgeagent.encode.EncodedFrame}) and anonymized frames into video files. It accepts no other frame type.
 */
package dev.edgeagent.encode;
