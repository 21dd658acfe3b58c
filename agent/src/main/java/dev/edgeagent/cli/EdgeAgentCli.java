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
        BenchCommand.class, EvalCommand.class, EvalVideoCommand.class, UpscaleCommand.class, EvalSrCommand.class,
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

  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new EdgeAgentCli());
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
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
