package dev.edgeagent.cli;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.detect.ModelLoadException;

/** A failure the user can act on: a message that says what to fix, and the exit code. */
public final class CliFailure extends Exception {
  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Maps the agent's checked failures to their documented exit codes. */
  public static CliFailure of(Exception e) {
    if (e instanceof CliFailure f) {
      return f;
    }
    if (e instanceof CaptureException c) {
      return new CliFailure(c.missing() ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERR, c.getMessage());
    }
    if (e instanceof ConfigException || e instanceof ModelLoadException) {
      return new CliFailure(ExitCodes.CONFIG, e.getMessage());
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return new CliFailure(ExitCodes.IO_ERR, "permission denied: " + a.getFile()
          + " (the agent's user must be able to write there)");
    }
    if (e instanceof java.nio.file.FileSystemException fs) {
      return new CliFailure(ExitCodes.IO_ERR, "cannot use " + fs.getFile()
          + (fs.getReason() != null ? ": " + fs.getReason() : "") + " (" + e.getClass().getSimpleName() + ")");
    }
    if (e instanceof java.io.IOException) {
      // disks, folders and sockets: the environment, not a bug (sysexits' EX_IOERR)
      return new CliFailure(ExitCodes.IO_ERR, e.getMessage());
    }
    return new CliFailure(ExitCodes.SOFTWARE, "internal error: " + e);
  }
}
