package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sair.connectors.k8s.KubeAccess;
import io.sair.job.SairOptions;
import io.sair.job.spec.SpecFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest in k8s/ parses into fabric8's models, and agrees with the code it deploys. */
class K8sManifestsTest {

    /** Custom resources fabric8 has no typed model for here. */
    private static final Set<String> CUSTOM_KINDS = Set.of("FlinkDeployment", "KafkaTopic", "PipelineAutoscaler");
    private static final Path EXAMPLE_SPECS = Path.of("src/main/resources/examples");

    @Test
    void everyManifestParsesWithNoUnknownFields() {
        List<Path> files = new ArrayList<>(yamlFiles(Manifests.K8S));
        files.addAll(yamlFiles(Manifests.K8S.resolve("examples")));
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : files) {
            List<HasMetadata> docs = Manifests.documents(file);
            assertThat(docs).as(file.toString()).isNotEmpty();
            for (HasMetadata doc : docs) {
                String where = file.getFileName() + ": " + doc.getKind() + " " + doc.getMetadata().getName();
                if (doc instanceof GenericKubernetesResource) {
                    assertThat(CUSTOM_KINDS).as(where + " is not a typed model").contains(doc.getKind());
                } else {
                    assertThat(Manifests.unknownFields(doc)).as(where).isEmpty();
                }
                assertThat(doc.getMetadata().getName()).as(where).isNotBlank();
            }
        }
    }

    @Test
    void everyRoleGrantsExactlyWhatTheActuatorsDeclare() {
        List<HasMetadata> rbac = Manifests.documents(Manifests.K8S.resolve("rbac.yaml"));
        List<Role> roles = rbac.stream().filter(Role.class::isInstance).map(Role.class::cast).toList();
        assertThat(roles).isNotEmpty();
        assertThat(roles).extracting(r -> r.getMetadata().getName()).contains("sair-actuator", "sair-autoscalers");
        for (Role role : roles) {
            // The actuators' Role in the stages' namespaces; the PipelineAutoscalers' Role where they live.
            // The stages' Role also lets the k8s-metrics connector read their pods' usage (metrics.k8s.io).
            List<KubeAccess> accesses = "sair-autoscalers".equals(role.getMetadata().getName())
                    ? KubeAccess.of(KubeAccess.Scope.AUTOSCALERS)
                    : Stream.concat(KubeAccess.of(KubeAccess.Scope.STAGES).stream(),
                            KubeAccess.of(KubeAccess.Scope.POD_METRICS).stream()).toList();
            Set<String> declared = accesses.stream()
                    .map(a -> access(a.apiGroup(), a.resource(), a.verb())).collect(Collectors.toSet());
            List<String> granted = new ArrayList<>();
            for (PolicyRule rule : role.getRules()) {
                assertThat(rule.getResourceNames()).isNullOrEmpty();
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            granted.add(access(group, resource, verb));
                        }
                    }
                }
            }
            // A list, so that a grant written twice shows up too.
            assertThat(granted).as(role.getMetadata().getNamespace()).hasSameSizeAs(declared)
                    .containsExactlyInAnyOrderElementsOf(declared);
        }
    }

    /** The actuator's Role in every namespace the examples' stages run in, bound to the job's account. */
    @Test
    void everyStageNamespaceBindsTheJobsAccountToTheActuatorRole() {
        List<HasMetadata> rbac = Manifests.documents(Manifests.K8S.resolve("rbac.yaml"));
        Set<String> roleNamespaces = rbac.stream().filter(Role.class::isInstance)
                .filter(r -> "sair-actuator".equals(r.getMetadata().getName()))
                .map(r -> r.getMetadata().getNamespace()).collect(Collectors.toSet());
        Set<String> stageNamespaces = new HashSet<>();
        for (GenericKubernetesResource example : examples()) {
            List<Map<String, Object>> stages = example.get("spec", "stages");
            stages.forEach(s -> stageNamespaces.add((String) ((Map<?, ?>) s.get("kubernetes")).get("namespace")));
        }
        assertThat(roleNamespaces).containsAll(stageNamespaces);
        List<RoleBinding> bindings = rbac.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast).toList();
        for (String ns : roleNamespaces) {
            RoleBinding binding = bindings.stream().filter(b -> ns.equals(b.getMetadata().getNamespace())
                    && "Role".equals(b.getRoleRef().getKind()) && "sair-actuator".equals(b.getRoleRef().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no binding of sair-actuator in " + ns));
            assertThat(binding.getSubjects()).singleElement()
                    .satisfies(s -> assertThat(s.getName() + "@" + s.getNamespace()).isEqualTo("sair-job@sair"));
        }
    }

    @Test
    void gpuAgentRunsOnGpuNodesWithItsSocketsShimAndTokenFromTheNode() {
        DaemonSet agent = Manifests.only(Manifests.documents(Manifests.K8S.resolve("gpu-agent-daemonset.yaml")), DaemonSet.class);
        var pod = agent.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsKey("nvidia.com/gpu.present");
        assertThat(pod.getHostPID()).as("shims are named by PID namespace and pid: no host pids needed").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getInitContainers()).anySatisfy(c -> {
            assertThat(c.getCommand()).containsExactly("chmod", "1733", "/host/run/sair");
            assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName()).isEqualTo("sockets"));
        });
        assertThat(pod.getContainers().get(0).getSecurityContext().getRunAsUser())
                .as("root, to reach the 0600 sockets of every user's shim").isZero();
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        assertThat(volumes.get("sockets").getHostPath().getPath()).isEqualTo("/run/sair");
        assertThat(volumes.get("shim-lib").getHostPath().getPath()).isEqualTo("/opt/sair/lib");
        assertThat(volumes.get("token").getSecret().getSecretName()).isEqualTo("sair-gpu-agent-token");
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs()).contains("--socket-dir=/run/sair", "--port=8470",
                "--token-file=/var/run/secrets/sair/token");
        assertThat(container.getPorts()).anyMatch(p -> p.getHostPort() != null && p.getHostPort() == 8470);
        // The job's default agent address is the node's IP on that port.
        assertThat(SairOptions.GPU_AGENT_URL.defaultValue()).isEqualTo("http://{hostIP}:8470");
    }

    @Test
    void kafkaTopicsAreTheJobsTopicsWithPipelinesCompacted() {
        List<GenericKubernetesResource> topics = Manifests.generic(
                Manifests.documents(Manifests.K8S.resolve("kafka-topics.yaml")), "KafkaTopic");
        Map<String, GenericKubernetesResource> byName = topics.stream()
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        assertThat(byName.keySet()).containsExactlyInAnyOrder(SairOptions.TOPIC_METRICS.defaultValue(),
                SairOptions.TOPIC_PIPELINES.defaultValue(), SairOptions.TOPIC_ACTIONS.defaultValue(),
                SairOptions.TOPIC_DEADLETTER.defaultValue());
        for (GenericKubernetesResource t : topics) {
            assertThat(t.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.getMetadata().getLabels()).containsKey("strimzi.io/cluster");
            assertThat((Integer) t.get("spec", "partitions")).isPositive();
        }
        String compacted = byName.get(SairOptions.TOPIC_PIPELINES.defaultValue()).get("spec", "config", "cleanup.policy");
        assertThat(compacted).isEqualTo("compact");
        assertThat((String) byName.get(SairOptions.TOPIC_METRICS.defaultValue()).get("spec", "config", "cleanup.policy")).isNull();
    }

    /** One PipelineAutoscaler per example app, whose spec is that app's spec file and passes the job's checks. */
    @Test
    void everyExampleSpecIsTheAppsPipelineSpecAndValidates() throws IOException {
        List<String> apps = yamlFiles(EXAMPLE_SPECS).stream().map(p -> p.getFileName().toString()).toList();
        List<String> examples = yamlFiles(Manifests.K8S.resolve("examples")).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(examples).containsExactlyInAnyOrderElementsOf(apps);
        ObjectMapper yaml = new YAMLMapper();
        for (String app : apps) {
            GenericKubernetesResource example = (GenericKubernetesResource) Manifests.documents(
                    Manifests.K8S.resolve("examples").resolve(app)).get(0);
            assertThat(example.getApiVersion()).isEqualTo("sair.io/v1alpha1");
            assertThat(example.getKind()).isEqualTo("PipelineAutoscaler");
            JsonNode spec = yaml.valueToTree(example.getAdditionalProperties().get("spec"));
            assertThat(spec).as(app).isEqualTo(yaml.readTree(EXAMPLE_SPECS.resolve(app).toFile()));
            byte[] json = Serialization.asJson(example.getAdditionalProperties().get("spec")).getBytes();
            SpecFiles.LoadedSpec loaded = SpecFiles.parse(app + " (spec).json", json,
                    SairOptions.MAX_RECORD_BYTES.defaultValue());
            assertThat(loaded.spec().name()).isEqualTo(example.getMetadata().getName());
        }
    }

    /** The example test above must be able to fail: a spec the job refuses is refused here too. */
    @Test
    void aSpecTheJobRefusesIsRefused() {
        GenericKubernetesResource example = examples().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) example.getAdditionalProperties().get("spec");
        spec.put("slaP99Ms", -1);
        byte[] json = Serialization.asJson(spec).getBytes();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecFiles.parse("bad.json", json, 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<GenericKubernetesResource> examples() {
        return yamlFiles(Manifests.K8S.resolve("examples")).stream()
                .map(p -> (GenericKubernetesResource) Manifests.documents(p).get(0)).toList();
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String access(String group, String resource, String verb) {
        return group + "/" + resource + ":" + verb;
    }
}
