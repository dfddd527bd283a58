package io.sair.job.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads the repository's manifests (k8s/, flink-conf/) the way the tests need them. */
final class Manifests {

    /** The repository root: the tests run in the job module's directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");

    private Manifests() {
    }

    /** Every document of a multi-document YAML file, unmarshalled by fabric8 (typed where it knows the kind). */
    static List<HasMetadata> documents(Path file) {
        List<HasMetadata> docs = new ArrayList<>();
        for (String doc : read(file).split("(?m)^---\\s*$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                docs.add(Serialization.unmarshal(doc));
            }
        }
        return docs;
    }

    static <T extends HasMetadata> T only(List<HasMetadata> docs, Class<T> type) {
        List<T> found = docs.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    static List<GenericKubernetesResource> generic(List<HasMetadata> docs, String kind) {
        return docs.stream().filter(d -> d instanceof GenericKubernetesResource && kind.equals(d.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Paths of the fields a typed model did not know (fabric8 keeps them in additionalProperties
     * instead of failing), found by walking the model's public getters.
     */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), found);
        return found;
    }

    private static void walk(Object node, String path, List<String> found) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found));
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(node.getClass(), Object.class).getPropertyDescriptors()) {
                Method getter = p.getReadMethod();
                if (getter == null) {
                    continue;
                }
                Object value = getter.invoke(node);
                // JSONSchemaProps has a schema keyword of that name (no catch-all map: it fails on unknown fields).
                if ("additionalProperties".equals(p.getName()) && value instanceof Map<?, ?> unknown) {
                    unknown.keySet().forEach(k -> found.add(path + "." + k));
                } else {
                    walk(value, path + "." + p.getName(), found);
                }
            }
        } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
