package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.sair.core.model.PipelineSpec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PipelineAutoscaler CRD: its spec schema is the PipelineSpec record, its status what `kubectl get` shows. */
class PipelineAutoscalerCrdTest {

    private final CustomResourceDefinition crd = Manifests.only(
            Manifests.documents(Manifests.K8S.resolve("pipelineautoscaler-crd.yaml")), CustomResourceDefinition.class);
    private final CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);

    @Test
    void namesTheResourceTheExamplesUse() {
        assertThat(crd.getMetadata().getName()).isEqualTo("pipelineautoscalers.sair.io");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("PipelineAutoscaler");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
        });
        for (var example : K8sManifestsTest.examples()) {
            assertThat(example.getApiVersion()).isEqualTo(crd.getSpec().getGroup() + "/" + version.getName());
        }
    }

    /** Field by field, nested records and lists included, with a JSON type that fits each Java type. */
    @Test
    void specSchemaIsThePipelineSpecRecord() {
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        List<String> mismatches = new ArrayList<>();
        compare(PipelineSpec.class, spec, "spec", mismatches);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void statusIsASubresourceShownInPrinterColumns() {
        assertThat(version.getSubresources().getStatus()).isNotNull();
        Map<String, JSONSchemaProps> status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties();
        assertThat(status).containsKeys("lastDecision", "lastDecisionTime", "selector", "bottleneck", "p99Ms", "slaP99Ms", "mode");
        List<String> columns = version.getAdditionalPrinterColumns().stream()
                .map(CustomResourceColumnDefinition::getJsonPath).toList();
        assertThat(columns).contains(".status.lastDecision", ".status.lastDecisionTime", ".status.selector",
                ".status.bottleneck", ".status.p99Ms", ".spec.slaP99Ms", ".status.mode");
        for (String path : columns) {
            String[] parts = path.substring(1).split("\\.");
            JSONSchemaProps top = version.getSchema().getOpenAPIV3Schema().getProperties().get(parts[0]);
            assertThat(top.getProperties()).as(path).containsKey(parts[1]);
        }
    }

    private static void compare(Class<?> record, JSONSchemaProps schema, String path, List<String> mismatches) {
        if (!"object".equals(schema.getType())) {
            mismatches.add(path + ": type " + schema.getType() + ", expected object");
            return;
        }
        Map<String, RecordComponent> components = Arrays.stream(record.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, c -> c));
        if (!components.keySet().equals(schema.getProperties().keySet())) {
            mismatches.add(path + ": properties " + schema.getProperties().keySet() + ", record " + components.keySet());
        }
        components.forEach((name, c) -> {
            JSONSchemaProps field = schema.getProperties().get(name);
            if (field != null) {
                compareType(c.getGenericType(), field, path + "." + name, mismatches);
            }
        });
    }

    private static void compareType(Type type, JSONSchemaProps field, String path, List<String> mismatches) {
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            if (!"array".equals(field.getType())) {
                mismatches.add(path + ": type " + field.getType() + ", expected array");
            } else {
                compareType(list.getActualTypeArguments()[0], field.getItems().getSchema(), path + "[]", mismatches);
            }
            return;
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            compare(c, field, path, mismatches);
            return;
        }
        String expected = c == Integer.class || c == int.class || c == Long.class || c == long.class ? "integer"
                : c == Double.class || c == double.class ? "number"
                : c == Boolean.class || c == boolean.class ? "boolean"
                : "string";
        if (!expected.equals(field.getType())) {
            mismatches.add(path + ": type " + field.getType() + ", expected " + expected);
        }
        if (c.isEnum()) {
            List<String> wire = Arrays.stream(c.getEnumConstants()).map(e -> e.toString().toLowerCase()).toList();
            List<String> allowed = field.getEnum() == null ? List.of()
                    : field.getEnum().stream().map(j -> j.asText()).toList();
            if (!wire.equals(allowed)) {
                mismatches.add(path + ": enum " + allowed + ", expected " + wire);
            }
        }
    }
}
