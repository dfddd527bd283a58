package io.sair.flink;

/** An input that could not be used: the reason and the record exactly as it arrived. */
public record DeadLetter(String reason, RawRecord raw) {
}
