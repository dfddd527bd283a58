package io.sair.connectors.k8smetrics;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's CPU and memory use against its limits, from its metrics-API reading and its spec: the summed usage of
 * its containers over the summed limits of the same containers (one container where the stage names it). A
 * resource without a limit in any of them has no utilisation (null): there is nothing to be a share of.
 *
 * @param cpu share of the CPU limit, 0..1; null without a limit
 * @param memory share of the memory limit, 0..1; null without a limit
 */
public record PodUtilisation(Double cpu, Double memory) {

    /** The pod's utilisation; empty when the reading covers none of the containers that have a limit. */
    public static Optional<PodUtilisation> of(Pod pod, PodMetrics reading, String container) {
        Map<String, ContainerMetrics> used = new java.util.HashMap<>();
        for (ContainerMetrics c : reading.getContainers() == null ? List.<ContainerMetrics>of() : reading.getContainers()) {
            used.put(c.getName(), c);
        }
        Double cpu = share(pod, used, container, "cpu");
        Double memory = share(pod, used, container, "memory");
        return cpu == null && memory == null ? Optional.empty() : Optional.of(new PodUtilisation(cpu, memory));
    }

    private static Double share(Pod pod, Map<String, ContainerMetrics> used, String only, String resource) {
        BigDecimal usage = BigDecimal.ZERO;
        BigDecimal limit = BigDecimal.ZERO;
        for (Container c : pod.getSpec().getContainers()) {
            if (only != null && !only.equals(c.getName())) {
                continue;
            }
            Quantity l = c.getResources() == null || c.getResources().getLimits() == null ? null
                    : c.getResources().getLimits().get(resource);
            ContainerMetrics m = used.get(c.getName());
            Quantity u = m == null || m.getUsage() == null ? null : m.getUsage().get(resource);
            if (l == null || u == null) {
                continue; // a share needs both: a container without a limit, or not yet measured, says nothing
            }
            usage = usage.add(u.getNumericalAmount());
            limit = limit.add(l.getNumericalAmount());
        }
        if (limit.signum() <= 0) {
            return null;
        }
        // metrics-server averages over its window, so a throttled container can read a little above its limit.
        return Math.min(1.0, usage.doubleValue() / limit.doubleValue());
    }
}
