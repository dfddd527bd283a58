package io.sair.job.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster as a real deployment runs it: a JobManager and TaskManagers as
 * separate JVMs on 127.0.0.1, started from the Flink jars of the test classpath (flink-dist is not on
 * Maven Central) with the flags Flink's own scripts would give them. Every child is killed on close.
 */
final class StandaloneCluster implements AutoCloseable {

    /** Maven repository paths of what a distribution's lib/ holds, plus flink-runtime-web for REST jar runs. */
    private static final List<String> DISTRIBUTION = List.of("/org/apache/flink/", "/com/ververica/",
            "/com/esotericsoftware/", "/org/objenesis/", "/org/apache/commons/", "/commons-collections/",
            "/commons-io/", "/commons-cli/", "/org/javassist/", "/tools/profiler/", "/org/snakeyaml/",
            "/com/google/code/findbugs/", "/org/slf4j/", "/org/apache/logging/log4j/");
    /** Not in lib/: the Kafka connector and the SAIR code come with the job jar; test jars stay out. */
    private static final List<String> NOT_IN_LIB = List.of("flink-connector-kafka", "flink-state-processor-api",
            "flink-metrics-prometheus", "flink-test-utils", "-tests.jar", "/target/");

    /** What flink-dist's config.yaml puts in env.java.opts.all: Flink's RPC and Kryo need them on Java 17. */
    static final List<String> JAVA_OPENS = List.of(
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final List<Process> children = new ArrayList<>();
    private final List<Process> taskManagers = new ArrayList<>();

    private StandaloneCluster(Path dir, String classpath, int restPort) {
        this.dir = dir;
        this.confDir = dir.resolve("conf");
        this.classpath = classpath;
        this.restPort = restPort;
    }

    /**
     * Writes the cluster's config.yaml ({@code extra} on top of loopback addresses, memory sizes and
     * the directories under {@code dir}) and starts the JobManager and {@code taskManagers} TaskManagers.
     */
    static StandaloneCluster start(Path dir, int taskManagers, Map<String, String> extra) throws Exception {
        StandaloneCluster c = new StandaloneCluster(dir, distributionClasspath(), freePort());
        try {
            c.writeConfig(extra);
            c.children.add(c.launch("jobmanager", "GET_JM_RESOURCE_PARAMS",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
            for (int i = 0; i < taskManagers; i++) {
                // A resource id of our own, so that the REST API's answer says which process runs a task.
                Process tm = c.launch("taskmanager-" + i, "GET_TM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "-D", "taskmanager.resource-id=tm-" + i);
                c.children.add(tm);
                c.taskManagers.add(tm);
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    Path confDir() {
        return confDir;
    }

    Path dir() {
        return dir;
    }

    /**
     * {@code kill -9} (SIGKILL) of the TaskManager with that resource id ({@code tm-<index>}): no
     * shutdown hook, no goodbye to the JobManager.
     */
    void killTaskManager(String resourceId) throws InterruptedException {
        if (!resourceId.matches("tm-\\d+")) {
            throw new IllegalArgumentException("not a TaskManager of this cluster: " + resourceId);
        }
        Process tm = taskManagers.get(Integer.parseInt(resourceId.substring(3)));
        tm.destroyForcibly();
        if (!tm.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("TaskManager " + resourceId + " survived SIGKILL");
        }
    }

    /**
     * Runs Flink's CLI front end ({@code flink ...}) in a child JVM with FLINK_CONF_DIR set, as the
     * distribution's bin/flink does; returns its output, failing on a non-zero exit.
     */
    String cli(Duration timeout, String... args) throws Exception {
        List<String> cmd = javaCommand();
        cmd.add("-Xmx256m");
        cmd.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j-console.properties").toUri());
        cmd.add("org.apache.flink.client.cli.CliFrontend");
        cmd.addAll(Arrays.asList(args));
        Path out = dir.resolve("cli-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        Process p = pb.start();
        children.add(p);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + String.join(" ", args) + " did not finish in " + timeout
                    + ":\n" + Files.readString(out));
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flink " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** The last lines of each child's log, for a failure message. */
    String logTails() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var logs = Files.list(dir.resolve("log"))) {
            // Only the processes' own logs: RocksDB writes its LOG files into the same directory.
            for (Path log : logs.filter(l -> l.getFileName().toString().matches("(jobmanager|taskmanager).*"))
                    .sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                sb.append("==> ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process p : children) {
            p.destroyForcibly();
        }
        for (Process p : children) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process launch(String name, String resourceParams, String mainClass, String... dynamicProperties)
            throws Exception {
        List<String> memory = memoryFlags(resourceParams);
        List<String> cmd = javaCommand();
        cmd.addAll(Arrays.asList(memory.get(0).trim().split("\\s+")));
        cmd.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
        cmd.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        if (memory.size() > 1) {
            cmd.addAll(Arrays.asList(memory.get(1).trim().split("\\s+")));
        }
        cmd.addAll(Arrays.asList(dynamicProperties));
        Path out = dir.resolve("log").resolve(name + ".out");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /**
     * The JVM flags and dynamic properties Flink's scripts compute for a process's memory model
     * (BashJavaUtils); a TaskManager without them refuses to start.
     */
    private List<String> memoryFlags(String command) throws Exception {
        List<String> cmd = javaCommand();
        cmd.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
        cmd.add(command);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        children.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        // Each result line carries the prefix (bin/config.sh strips it): JVM flags first, then the -D pairs.
        String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
        List<String> result = out.lines().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).filter(l -> !l.isBlank()).toList();
        if (!result.isEmpty()) {
            return result;
        }
        throw new IllegalStateException("BashJavaUtils " + command + " gave no result:\n" + out);
    }

    private List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JAVA_OPENS);
        cmd.add("-cp");
        cmd.add(classpath);
        return cmd;
    }

    private void writeConfig(Map<String, String> extra) throws IOException {
        Files.createDirectories(confDir);
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("tmp"));
        StringBuilder yaml = new StringBuilder();
        Map<String, String> base = new java.util.LinkedHashMap<>();
        base.put("jobmanager.rpc.address", "127.0.0.1");
        base.put("jobmanager.rpc.port", String.valueOf(freePort()));
        base.put("jobmanager.bind-host", "127.0.0.1");
        base.put("taskmanager.bind-host", "127.0.0.1");
        base.put("taskmanager.host", "127.0.0.1");
        base.put("rest.address", "127.0.0.1");
        base.put("rest.bind-address", "127.0.0.1");
        base.put("rest.port", String.valueOf(restPort));
        // Seen: 1024m left too little task heap for the job on a TaskManager; 1536m is enough.
        base.put("jobmanager.memory.process.size", "1024m");
        base.put("taskmanager.memory.process.size", "1536m");
        base.put("io.tmp.dirs", dir.resolve("tmp").toString());
        base.put("web.upload.dir", dir.resolve("upload").toString());
        base.put("blob.storage.directory", dir.resolve("blobs").toString());
        base.putAll(extra);
        base.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString());
        // A File appender per process (append=true, or each roll-over truncates), and the console for the CLI.
        Files.writeString(confDir.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.append = true
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                """);
        Files.writeString(confDir.resolve("log4j-console.properties"), """
                rootLogger.level = WARN
                rootLogger.appenderRef.console.ref = ConsoleAppender
                appender.console.name = ConsoleAppender
                appender.console.type = Console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n
                """);
    }

    private static String distributionClasspath() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            if (DISTRIBUTION.stream().anyMatch(path::contains) && NOT_IN_LIB.stream().noneMatch(path::contains)) {
                jars.add(entry);
            }
        }
        if (jars.stream().noneMatch(j -> j.contains("flink-runtime-web"))) {
            throw new IllegalStateException("flink-runtime-web is not on the test classpath: " + jars);
        }
        return String.join(File.pathSeparator, jars);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
