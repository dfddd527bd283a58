package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU and memory of one container, read and rewritten. Requests become the target; a limit that
 * exists is moved to the target too (a request above its limit is rejected, and SAIR's allocation is
 * what the stage may use). Other resources (GPUs, ephemeral storage) are carried over untouched.
 * Memory targets are MiB.
 *
 * @param cpuMillis the CPU target, or null to leave CPU as it is
 * @param memoryMb the memory target in MiB, or null to leave memory as it is
 */
record ContainerResources(Integer cpuMillis, Integer memoryMb) {

    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    boolean isEmpty() {
        return cpuMillis == null && memoryMb == null;
    }

    /** Whether the container's requests already equal the targets (a replayed decision). */
    boolean satisfiedBy(ResourceRequirements live) {
        Map<String, Quantity> req = live == null || live.getRequests() == null ? Map.of() : live.getRequests();
        return (cpuMillis == null || cpuMillis.equals(cpuMillis(req.get("cpu"))))
                && (memoryMb == null || memoryMb.equals(memoryMib(req.get("memory"))));
    }

    /** The container's resources with the targets applied. */
    ResourceRequirements applyTo(ResourceRequirements live) {
        Map<String, Quantity> requests = new LinkedHashMap<>(live == null || live.getRequests() == null
                ? Map.of() : live.getRequests());
        Map<String, Quantity> limits = new LinkedHashMap<>(live == null || live.getLimits() == null
                ? Map.of() : live.getLimits());
        if (cpuMillis != null) {
            Quantity q = new Quantity(cpuMillis + "m");
            requests.put("cpu", q);
            limits.computeIfPresent("cpu", (k, v) -> q);
        }
        if (memoryMb != null) {
            Quantity q = new Quantity(memoryMb + "Mi");
            requests.put("memory", q);
            limits.computeIfPresent("memory", (k, v) -> q);
        }
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder().withRequests(requests);
        if (!limits.isEmpty()) {
            b.withLimits(limits);
        }
        if (live != null && live.getClaims() != null && !live.getClaims().isEmpty()) {
            b.withClaims(live.getClaims());
        }
        return b.build();
    }

    /** The target as a short text, e.g. {@code cpu=1500m memory=2048Mi}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (cpuMillis != null) {
            sb.append("cpu=").append(cpuMillis).append('m');
        }
        if (memoryMb != null) {
            sb.append(sb.isEmpty() ? "" : " ").append("memory=").append(memoryMb).append("Mi");
        }
        return sb.toString();
    }

    /** The same dimensions as this target, read from a container's requests ({@code unset} where there is none). */
    String describeLive(ResourceRequirements live) {
        Map<String, Quantity> req = live == null || live.getRequests() == null ? Map.of() : live.getRequests();
        StringBuilder sb = new StringBuilder();
        if (cpuMillis != null) {
            Integer c = cpuMillis(req.get("cpu"));
            sb.append("cpu=").append(c == null ? "unset" : c + "m");
        }
        if (memoryMb != null) {
            Integer m = memoryMib(req.get("memory"));
            sb.append(sb.isEmpty() ? "" : " ").append("memory=").append(m == null ? "unset" : m + "Mi");
        }
        return sb.toString();
    }

    static Integer cpuMillis(Quantity q) {
        return q == null ? null : q.getNumericalAmount().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                .intValueExact();
    }

    static Integer memoryMib(Quantity q) {
        return q == null ? null : q.getNumericalAmount().divide(MIB, 0, java.math.RoundingMode.HALF_UP).intValueExact();
    }

    /**
     * The index of the stage's container in a pod template: the named one, or the only one.
     *
     * @throws IllegalArgumentException when it cannot be told which container is meant
     */
    static int containerIndex(List<Container> containers, String name) {
        if (containers == null || containers.isEmpty()) {
            throw new IllegalArgumentException("the pod template has no containers");
        }
        if (name == null) {
            if (containers.size() == 1) {
                return 0;
            }
            throw new IllegalArgumentException("the spec names no container and the pod has " + containers.size()
                    + "; set kubernetes.container");
        }
        for (int i = 0; i < containers.size(); i++) {
            if (name.equals(containers.get(i).getName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("no container '" + name + "' in the pod template");
    }
}
