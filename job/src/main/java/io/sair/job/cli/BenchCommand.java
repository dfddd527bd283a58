package io.sair.job.cli;

import io.sair.sim.bench.CoreBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sair bench}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the benchmarks and print their figures.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--core", description = "Time the SAIR core alone: controller round and retrieval (no LLM).")
    boolean core;

    @Override
    public Integer call() {
        new CoreBenchmark(System.out).run();
        return 0;
    }
}
