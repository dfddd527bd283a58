package io.sair.job.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./sair} command line: one entry point for the demo, the benchmarks and the operator tools. */
@Command(name = "sair", mixinStandardHelpOptions = true, version = "sair 0.1.0",
        description = "SAIR on Flink: an in-context RL autoscaler for multi-stage ML inference pipelines.",
        subcommands = {DemoCommand.class, BenchCommand.class, StateCommand.class, PipelinesCommand.class,
                FeedCommand.class})
public final class SairCli implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * The innermost cause of a failed Flink job: "Job execution failed." alone tells a user nothing about why (the
     * job wraps its task's exception several levels deep).
     */
    static String rootCause(Throwable ex) {
        Throwable root = ex;
        boolean jobFailed = false;
        for (int depth = 0; depth < 32; depth++) {
            jobFailed |= root instanceof org.apache.flink.runtime.client.JobExecutionException;
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        // Only a failed job: a user error's message already says what is wrong.
        if (root == ex || !jobFailed) {
            return "";
        }
        String msg = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
        return " (cause: " + root.getClass().getSimpleName() + msg + ")";
    }

    /** Runs the CLI; every user error becomes one line on stderr and a non-zero exit, never a stack trace. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SairCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("sair: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()) + rootCause(ex));
            return 1;
        });
        // A mistyped option or value: one line naming it, not the whole usage text.
        cl.setParameterExceptionHandler((ex, params) -> {
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see --help)");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }
}
