package io.sair.core.window;

/** One report's counts as its pod said them (null: the report did not count that), kept for the robust window sum. */
public record PodCounts(String pod, Long arrivals, Long completions) {
}
