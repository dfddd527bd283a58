package io.sair.job.cli;

import io.sair.core.model.Json;
import io.sair.job.state.LearnedStateReader;
import io.sair.job.state.LearnedStateView;
import io.sair.job.state.PipelineState;
import io.sair.job.state.StateText;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sair state}: what the controller has learned, per pipeline, read from a savepoint or a
 * retained checkpoint (experience buffer, Pareto frontier, exploration, the pending decision).
 */
@Command(name = "state", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print what SAIR has learned, per pipeline, from a savepoint or retained checkpoint.")
final class StateCommand implements Callable<Integer> {

    @Option(names = "--savepoint", required = true, paramLabel = "PATH",
            description = "Savepoint or retained checkpoint: its directory, its _metadata file, or a URI.")
    String savepoint;

    @Option(names = "--json", description = "Machine output: one JSON document.")
    boolean json;

    @Option(names = "--top", defaultValue = "5", paramLabel = "N",
            description = "Episodes to list per pipeline, best reward first; 0 for all (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new IllegalArgumentException("--top must not be negative");
        }
        String location = checkedLocation(savepoint);
        List<PipelineState> pipelines;
        Logging.quietFrameworks();
        try {
            pipelines = LearnedStateReader.read(location);
        } catch (LearnedStateReader.NotASairSavepoint e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(savepoint + ": not a readable savepoint or checkpoint ("
                    + Logging.rootMessage(e) + ")", e);
        }
        List<LearnedStateView> views = pipelines.stream().map(p -> LearnedStateView.of(p, top)).toList();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("savepoint", location);
            doc.put("pipelines", views);
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            System.out.print(StateText.render(location, views, top));
        }
        return 0;
    }

    /**
     * A local path is checked here so that a typo gets one clear line, not a Flink stack; a URI with
     * another scheme (s3://, hdfs://) goes to Flink's file systems as it is.
     */
    static String checkedLocation(String given) throws Exception {
        if (given.matches("[a-zA-Z][a-zA-Z0-9+.-]+://.*") && !given.startsWith("file:")) {
            return given;
        }
        Path p = given.startsWith("file:") ? Path.of(URI.create(given)) : Path.of(given);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no savepoint at " + given + " (no such file or directory)");
        }
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("_metadata"))) {
                throw new IllegalArgumentException(given + " is not a savepoint or checkpoint (no _metadata file)"
                        + checkpointHint(p));
            }
        } else if (!p.getFileName().toString().equals("_metadata")) {
            throw new IllegalArgumentException(given + " is not a savepoint or checkpoint (expected its directory or "
                    + "its _metadata file)");
        }
        return p.toAbsolutePath().normalize().toUri().toString();
    }

    /** A checkpoint directory holds chk-N folders (possibly under a job id): point at the newest. */
    private static String checkpointHint(Path dir) throws Exception {
        try (Stream<Path> files = Files.find(dir, 2, (f, a) -> a.isDirectory()
                && f.getFileName().toString().matches("chk-\\d+") && Files.isRegularFile(f.resolve("_metadata")))) {
            return files.max(Comparator.comparingLong(
                            f -> Long.parseLong(f.getFileName().toString().substring(4))))
                    .map(f -> "; the newest retained checkpoint under it is " + f)
                    .orElse("");
        }
    }
}
