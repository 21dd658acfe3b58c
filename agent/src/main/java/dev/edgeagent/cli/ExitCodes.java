package dev.edgeagent.cli;

/** sysexits(3) codes the CLI uses. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int USAGE = 64;
  public static final int DATA_ERR = 65;
  public static final int NO_INPUT = 66;
  public static final int SOFTWARE = 70;
  public static final int CANT_CREATE = 73;
  public static final int IO_ERR = 74;
  public static final int TEMP_FAIL = 75;
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
