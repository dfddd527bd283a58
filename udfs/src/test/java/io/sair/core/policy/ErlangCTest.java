package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErlangCTest {

    @Test
    void oneServerWaitsWithTheProbabilityOfBeingBusy() {
        assertThat(ErlangC.probabilityOfWaiting(1, 0.5)).isCloseTo(0.5, within(1e-12));
        // M/M/1 at 50 %: P(W > t) = 0.5 exp(-0.5 t / S), so the p99 wait is S ln(50) / 0.5.
        assertThat(ErlangC.waitP99(1, 0.5, 1.0)).isCloseTo(Math.log(50) / 0.5, within(1e-9));
    }

    @Test
    void twoServersAtOneErlangWaitAThirdOfTheTime() {
        assertThat(ErlangC.probabilityOfWaiting(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void moreServersWaitLessAndOverloadedOnesForever() {
        double three = ErlangC.waitP99(3, 2.12, 0.218);
        double four = ErlangC.waitP99(4, 2.12, 0.218);
        assertThat(three).isGreaterThan(four).isGreaterThan(0);
        assertThat(ErlangC.waitP99(20, 2.12, 0.218)).as("fewer than 1 in 100 wait").isZero();
        assertThat(ErlangC.waitP99(2, 2.12, 0.218)).isInfinite();
    }
}
