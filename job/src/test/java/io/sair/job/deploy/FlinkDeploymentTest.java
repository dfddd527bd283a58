package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sair.job.SairJobMain;
import io.sair.job.SairOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** k8s/flink-deployment.yaml: the operator's resource runs the cluster jar with flink-conf's settings. */
class FlinkDeploymentTest {

    /** config.yaml keys for a standalone cluster; the operator derives these from the resource. */
    private static final Set<String> STANDALONE_ONLY = Set.of("jobmanager.rpc.address", "jobmanager.rpc.port",
            "jobmanager.memory.process.size", "taskmanager.memory.process.size", "rest.port", "parallelism.default");

    private final List<HasMetadata> docs = Manifests.documents(Manifests.K8S.resolve("flink-deployment.yaml"));
    private final GenericKubernetesResource deployment = Manifests.generic(docs, "FlinkDeployment").get(0);

    @Test
    void upgradesThroughSavepointsAndRunsTheClusterJarsMainClass() {
        assertThat(deployment.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(Manifests.generic(docs, "FlinkDeployment")).hasSize(1);
        assertThat((String) deployment.get("spec", "flinkVersion")).isEqualTo("v2_2");
        assertThat((String) deployment.get("spec", "job", "upgradeMode")).isEqualTo("savepoint");
        assertThat((String) deployment.get("spec", "job", "jarURI")).startsWith("local:///").endsWith(".jar");
        assertThat((String) deployment.get("spec", "job", "entryClass")).isEqualTo(SairJobMain.class.getName());
    }

    @Test
    void carriesTheJobSettingsOfFlinkConf() {
        Map<String, String> conf = flinkConfiguration();
        Map<String, String> expected = new HashMap<>(FlinkConfTest.load().toMap());
        expected.keySet().removeAll(STANDALONE_ONLY);
        assertThat(conf).containsAllEntriesOf(expected);
    }

    @Test
    void everyFlinkKeyIsOneFlinkOrTheOperatorDeclares() {
        Set<String> unknown = FlinkKeys.unknown(flinkConfiguration().keySet());
        unknown.removeIf(k -> k.startsWith("kubernetes.operator."));
        assertThat(unknown).isEmpty();
    }

    /** Job arguments: each one an option of the job, read as SairJobMain reads them. */
    @Test
    void jobArgumentsAreSairOptions() {
        Configuration args = SairJobMain.parseArgs(jobArgs().toArray(String[]::new));
        Set<String> known = SairOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        assertThat(args.keySet()).isNotEmpty().allMatch(known::contains, "a SairOptions key");
        assertThat(args.get(SairOptions.ACTUATE_KUBERNETES)).isTrue();
        // The live PipelineAutoscalers, where rbac.yaml grants them (the Role sair-autoscalers in sair).
        assertThat(args.get(SairOptions.KUBE_AUTOSCALERS)).isTrue();
        assertThat(args.get(SairOptions.KUBE_AUTOSCALERS_NAMESPACE)).isEqualTo("sair");
    }

    @Test
    void podTemplateIsATypedPodThatMountsTheTokenTheJobReads() {
        Pod template = Serialization.unmarshal(Serialization.asJson(deployment.get("spec", "podTemplate")), Pod.class);
        assertThat(Manifests.unknownFields(template)).isEmpty();
        String tokenFile = SairJobMain.parseArgs(jobArgs().toArray(String[]::new)).get(SairOptions.GPU_AGENT_TOKEN_FILE);
        List<VolumeMount> mounts = template.getSpec().getContainers().get(0).getVolumeMounts();
        assertThat(mounts).anyMatch(m -> tokenFile.startsWith(m.getMountPath() + "/"));
        String claim = template.getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElseThrow()
                .getPersistentVolumeClaim().getClaimName();
        PersistentVolumeClaim pvc = Manifests.only(docs, PersistentVolumeClaim.class);
        assertThat(pvc.getMetadata().getName()).isEqualTo(claim);
        assertThat(Manifests.unknownFields(pvc)).isEmpty();
    }

    @Test
    void runsAsTheServiceAccountTheRbacManifestDeclares() {
        ServiceAccount account = Manifests.only(Manifests.documents(Manifests.K8S.resolve("rbac.yaml")), ServiceAccount.class);
        assertThat((String) deployment.get("spec", "serviceAccount")).isEqualTo(account.getMetadata().getName());
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    }

    private Map<String, String> flinkConfiguration() {
        Map<String, Object> raw = deployment.get("spec", "flinkConfiguration");
        Map<String, String> conf = new HashMap<>();
        raw.forEach((k, v) -> conf.put(k, String.valueOf(v)));
        return conf;
    }

    private List<String> jobArgs() {
        return deployment.get("spec", "job", "args");
    }
}
