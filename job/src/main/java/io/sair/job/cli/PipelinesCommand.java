package io.sair.job.cli;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageSpec;
import io.sair.job.SairJobMain;
import io.sair.job.SairOptions;
import io.sair.job.spec.SpecFiles;
import io.sair.job.spec.SpecPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./sair pipelines}: check a pipeline spec file, and publish it to the job's pipelines topic. */
@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Validate pipeline specs (YAML or JSON), publish them to the pipelines topic, or keep the topic "
                + "in sync with the PipelineAutoscaler resources of a Kubernetes cluster.",
        subcommands = {PipelinesCommand.Validate.class, PipelinesCommand.Publish.class, PipelinesCommand.Sync.class})
final class PipelinesCommand implements Callable<Integer> {

    /** The same bound the job applies to records of the pipelines topic. */
    static final int MAX_RECORD_BYTES = SairOptions.MAX_RECORD_BYTES.defaultValue();

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    /** One line about a usable spec. */
    static String summary(PipelineSpec s) {
        String stages = s.stages().stream().map(StageSpec::name).collect(Collectors.joining(" -> "));
        return String.format(Locale.ROOT, "%s: %d stages (%s), SLA p99 %s ms, selector %s, mode %s", s.name(),
                s.stages().size(), stages, trim(s.slaP99Ms()), s.policy().selector(), s.mode().wire());
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Where the job reads its specs: the publish and sync subcommands' Kafka options. */
    static final class PipelinesTopic {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", defaultValue = "sair.pipelines", paramLabel = "TOPIC",
                description = "The job's pipelines topic (default: ${DEFAULT-VALUE}).")
        String topic;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a spec file exactly as the job checks specs from Kafka; no Kafka needed.")
    static final class Validate implements Callable<Integer> {

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "Spec file: YAML, or JSON when it ends in .json.")
        Path file;

        @Override
        public Integer call() {
            PipelineSpec spec = SpecFiles.load(file, MAX_RECORD_BYTES).spec();
            System.out.println("valid: " + summary(spec));
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Validate a spec file, then publish it keyed by the pipeline's name; the running job "
                    + "picks it up (a new pipeline, or a changed spec) at once.")
    static final class Publish implements Callable<Integer> {

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "Spec file: YAML, or JSON when it ends in .json.")
        Path file;

        @Mixin
        PipelinesTopic kafka;

        @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
                description = "How long to wait for Kafka (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
            // A bad spec never reaches the topic: the job would only dead-letter it.
            SpecFiles.LoadedSpec loaded = SpecFiles.load(file, MAX_RECORD_BYTES);
            Logging.quietFrameworks();
            RecordMetadata at = new SpecPublisher(kafka.bootstrap, Duration.ofSeconds(timeoutSeconds))
                    .publish(kafka.topic, loaded.spec().name(), loaded.json());
            System.out.println("published " + summary(loaded.spec()));
            System.out.println("  to " + kafka.topic + " at " + kafka.bootstrap + " (partition " + at.partition() + ", offset "
                    + at.offset() + ")");
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Keep the pipelines topic equal to the PipelineAutoscaler resources until stopped (Ctrl-C, "
                    + "SIGTERM): each resource's spec is published under its pipeline's name once checked, a tombstone "
                    + "when it is deleted, and a bad spec is reported in the resource's status.specProblem instead.",
                "The job's main does the same in an attached execution; run this beside a job submitted detached "
                    + "(application mode, REST, flink run -d). Kubernetes access as kubectl's (kubeconfig or the pod's "
                    + "service account)."})
    static final class Sync implements Callable<Integer> {

        @Mixin
        PipelinesTopic kafka;

        @Option(names = "--namespace", defaultValue = "", paramLabel = "NS",
                description = "Watch this namespace only (default: all namespaces).")
        String namespace;

        @Override
        public Integer call() throws Exception {
            Configuration conf = new Configuration();
            conf.set(SairOptions.KUBE_AUTOSCALERS, true);
            conf.set(SairOptions.KUBE_AUTOSCALERS_NAMESPACE, namespace);
            conf.set(SairOptions.BOOTSTRAP_SERVERS, kafka.bootstrap);
            conf.set(SairOptions.TOPIC_PIPELINES, kafka.topic);
            // The very sync the job's main runs, so the two can never disagree.
            AutoCloseable sync = SairJobMain.autoscalerSync(conf);
            Thread hook = new Thread(() -> closeQuietly(sync), "sair-pipelines-sync-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("syncing PipelineAutoscalers in " + (namespace.isBlank() ? "all namespaces" : namespace)
                    + " to " + kafka.topic + " at " + kafka.bootstrap + "; Ctrl-C stops");
            try {
                new CountDownLatch(1).await(); // until interrupted, or the JVM stops (the hook closes the sync)
            } catch (InterruptedException e) {
                // asked to stop: close the sync first (an interrupted thread could not wait for it), then say so
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return 0; // the JVM is stopping: the hook closes the sync
            }
            sync.close();
            Thread.currentThread().interrupt();
            return 0;
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway: the informer and producer die with the JVM
            }
        }
    }
}
