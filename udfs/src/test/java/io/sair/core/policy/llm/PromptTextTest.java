package io.sair.core.policy.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTextTest {

    @Test
    void namesKeepOnlySafeCharactersAndAreBounded() {
        assertThat(PromptText.name("inference-v2.gpu_0")).isEqualTo("inference-v2.gpu_0");
        assertThat(PromptText.name("a b\n\"c\"{}")).isEqualTo("a_b__c___");
        assertThat(PromptText.name("é")).isEqualTo("_");
        assertThat(PromptText.name("x".repeat(100))).hasSize(63);
        assertThat(PromptText.name(null)).isEqualTo("_");
    }

    @Test
    void numbersHaveBoundedPrecisionAndLength() {
        assertThat(PromptText.num(342.49, 0)).isEqualTo("342");
        assertThat(PromptText.num(0.8, 2)).isEqualTo("0.80");
        assertThat(PromptText.num(-0.001, 1)).isEqualTo("0.0");
        assertThat(PromptText.num(Double.NaN, 1)).isEqualTo("n/a");
        assertThat(PromptText.num(Double.NEGATIVE_INFINITY, 1)).isEqualTo("n/a");
        assertThat(PromptText.num(-Double.MAX_VALUE, 1)).isEqualTo("-1.798e+308");
        assertThat(PromptText.percent(0.783)).isEqualTo("78.3%");
        assertThat(PromptText.signed(0.85)).isEqualTo("+0.85");
        assertThat(PromptText.signed(-1.5)).isEqualTo("-1.50");
    }

    @Test
    void freeTextBecomesOneBoundedLine() {
        assertThat(PromptText.line("a\n\tb\u0000\u202ec  ", 100)).isEqualTo("a b c");
        assertThat(PromptText.line("x".repeat(1000), 10)).hasSize(10);
        assertThat(PromptText.line("\ud83d\ude00 ok \ud83d", 100)).isEqualTo("\ud83d\ude00 ok");
    }
}
