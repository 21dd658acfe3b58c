package dev.edgeagent.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The edge-agent executable. */
@Command(name = "edge-agent", mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Removes faces and licence plates from camera frames and publishes only cleaned frames.",
    subcommands = {AnonymizeCommand.class, RunCommand.class, ValidateConfigCommand.class, ConsumeCommand.class,
        BenchCommand.class, DoctorCommand.class, EvalCommand.class, EvalVideoCommand.class, UpscaleCommand.class, EvalSrCommand.class, InspectCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "64:usage error", "65:input data unreadable", "66:input missing",
        "70:internal error", "74:output could not be written", "75:not everything delivered in time",
        "78:bad configuration or model"})
public final class EdgeAgentCli implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Help text is wrapped to this many columns when the terminal's width is unknown (a pipe, a log). */
  static final int USAGE_WIDTH = 100;

  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command tree with the CLI's handlers and help layout. Every command's help is wrapped the
   * same way: to the terminal's width when there is one, else to {@link #USAGE_WIDTH}; descriptions
   * are written as paragraphs for picocli to wrap, not as pre-broken lines.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new EdgeAgentCli());
    cl.setUsageHelpWidth(USAGE_WIDTH);
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("edge-agent: " + ex.getMessage());
      err.println("Try 'edge-agent " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ")
          + "--help' for usage.");
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      CliFailure f = CliFailure.of(ex);
      commandLine.getErr().println("edge-agent: error: " + f.getMessage());
      if (f.exitCode() == ExitCodes.SOFTWARE) {
        ex.printStackTrace(commandLine.getErr());
      }
      return f.exitCode();
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
