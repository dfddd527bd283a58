package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar loaded the way a Flink cluster loads a job jar: its own class loader over one that
 * holds only what a Flink distribution's lib/ holds. It must build the job graph there, and each
 * operator must deserialise with the jar's class loader as on a TaskManager: a class the shading
 * left out, or a relocation that broke a service file, fails here and not on a user's cluster.
 */
class ClusterJarOnFlinkIT {

    /** Maven repository paths of what flink-dist's lib/ provides (Flink and the libraries it ships unshaded). */
    private static final List<String> DISTRIBUTION = List.of("/org/apache/flink/", "/com/ververica/",
            "/com/esotericsoftware/", "/org/objenesis/", "/org/apache/commons/", "/commons-collections/",
            "/commons-io/", "/commons-cli/", "/org/javassist/", "/tools/profiler/", "/org/snakeyaml/",
            "/com/google/code/findbugs/", "/org/slf4j/", "/org/apache/logging/log4j/");
    /** Flink artifacts that are not in lib/: the connector (in the jar), opt/ and plugins/, test jars. */
    private static final List<String> NOT_IN_LIB = List.of("flink-connector-kafka", "flink-state-processor-api",
            "flink-metrics-prometheus", "flink-test-utils", "-tests.jar");

    @Test
    void buildsTheJobGraphAndTheOperatorsDeserialiseWithTheJarsLoader() throws Exception {
        withJarLoaders((flink, job) -> {
            Class<?> main = job.loadClass("io.sair.job.SairJobMain");
            assertThat(main.getClassLoader()).isSameAs(job);
            assertThat(job.loadClass("org.apache.flink.configuration.Configuration").getClassLoader()).isSameAs(flink);

            String[] args = {"--sair.kafka.bootstrap-servers", "127.0.0.1:9", "--sair.actuate.kubernetes", "true",
                "--sair.kafka.delivery-guarantee", "exactly-once"};
            Object conf = callStatic(main, "withJobDefaults", callStatic(main, "parseArgs", (Object) args));
            Class<?> envType = flink.loadClass("org.apache.flink.streaming.api.environment.StreamExecutionEnvironment");
            Object env = callStatic(envType, "getExecutionEnvironment", conf);
            callStatic(main, "configure", env, conf);
            call(callStatic(main, "wire", conf), "build", env);

            Object jobGraph = call(call(env, "getStreamGraph"), "getJobGraph", job);
            int operators = 0;
            Class<?> streamConfig = flink.loadClass("org.apache.flink.streaming.api.graph.StreamConfig");
            for (Object vertex : (Object[]) call(jobGraph, "getVerticesAsArray")) {
                Object head = streamConfig.getConstructor(flink.loadClass("org.apache.flink.configuration.Configuration"))
                        .newInstance(call(vertex, "getConfiguration"));
                Map<?, ?> chained = (Map<?, ?>) call(head, "getTransitiveChainedTaskConfigsWithSelf", job);
                for (Object config : chained.values()) {
                    assertThat(call(config, "getStreamOperatorFactory", job)).isNotNull();
                    operators++;
                }
            }
            System.out.printf("job graph from the cluster jar: %d operators deserialised%n", operators);
            assertThat(operators).isGreaterThanOrEqualTo(8);
        });
    }

    /** fabric8 inside the jar: its YAML reader (relocated Jackson) and its model types (service files). */
    @Test
    void fabric8ReadsAManifestWithTheRelocatedJackson() throws Exception {
        withJarLoaders((flink, job) -> {
            Class<?> serialization = job.loadClass("io.fabric8.kubernetes.client.utils.Serialization");
            Object role = callStatic(serialization, "unmarshal",
                    "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: []\n");
            assertThat(role.getClass().getName()).isEqualTo("io.fabric8.kubernetes.api.model.rbac.Role");
            assertThat(role.getClass().getClassLoader()).isSameAs(job);
        });
    }

    /**
     * {@code sair pipelines sync} runs from the same image as the job (k8s/pipelineautoscaler-sync.yaml:
     * Flink's lib/ plus the cluster jar): the CLI and what the sync uses are in the jar.
     */
    @Test
    void theSyncCommandStartsFromTheJarBesideFlinksLib() throws Exception {
        withJarLoaders((flink, job) -> {
            Class<?> cli = job.loadClass("io.sair.job.cli.SairCli");
            assertThat(callStatic(cli, "run", (Object) new String[] {"pipelines", "sync", "--help"})).isEqualTo(0);
            for (String used : List.of("io.sair.connectors.k8s.AutoscalerSpecSync", "io.sair.connectors.kafka.KafkaSpecPublisher",
                    "io.sair.connectors.k8s.KubeClients", "io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory")) {
                assertThat(Class.forName(used, true, job).getClassLoader()).as(used).isSameAs(job);
            }
        });
    }

    /** What runs on a cluster's loaders: Flink's lib/ under the platform loader, the cluster jar under it. */
    private interface OnJarLoaders {
        void run(URLClassLoader flink, URLClassLoader job) throws Exception;
    }

    private static void withJarLoaders(OnJarLoaders body) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader flink = new URLClassLoader(distribution(), ClassLoader.getPlatformClassLoader());
             URLClassLoader job = new URLClassLoader(new URL[] {clusterJar()}, flink)) {
            Thread.currentThread().setContextClassLoader(job);
            body.run(flink, job);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static URL[] distribution() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            if (DISTRIBUTION.stream().anyMatch(path::contains) && NOT_IN_LIB.stream().noneMatch(path::contains)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(urls).isNotEmpty();
        return urls.toArray(URL[]::new);
    }

    private static URL clusterJar() throws MalformedURLException {
        return Path.of(System.getProperty("sair.cluster.jar")).toUri().toURL();
    }

    private static Object callStatic(Class<?> type, String name, Object... args) throws Exception {
        return invoke(type, null, name, args);
    }

    private static Object call(Object target, String name, Object... args) throws Exception {
        return invoke(target.getClass(), target, name, args);
    }

    /** The public method of that name and arity (none of those called here are overloaded by arity). */
    private static Object invoke(Class<?> type, Object target, String name, Object... args) throws Exception {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length
                    && Modifier.isStatic(m.getModifiers()) == (target == null) && accepts(m, args)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + Arrays.toString(args));
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
            if (args[i] != null && !params[i].isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }
}
