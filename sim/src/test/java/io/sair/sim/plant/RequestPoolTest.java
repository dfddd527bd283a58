package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestPoolTest {

    @Test
    void admittedRequestsKeepTheirFieldsAcrossGrowthAndReleasedSlotsAreReused() {
        RequestPool pool = new RequestPool();
        int n = 5_000; // past the initial 1024 slots: the arrays grow
        for (int i = 0; i < n; i++) {
            int r = pool.admit(i, 10 + i, 20 + i);
            assertThat(r).isEqualTo(i);
        }
        assertThat(pool.inFlight()).isEqualTo(n);
        assertThat(pool.capacity()).isEqualTo(n);
        assertThat(pool.arrive[4_321]).isEqualTo(4_321.0);
        assertThat(pool.u[4_321]).isEqualTo(4_331.0);
        assertThat(pool.g[4_321]).isEqualTo(4_341.0);

        pool.retries[17] = 2;
        pool.release(17);
        pool.release(99);
        assertThat(pool.live[17]).isFalse();
        assertThat(pool.inFlight()).isEqualTo(n - 2);
        Set<Integer> reused = new HashSet<>();
        reused.add(pool.admit(1e6, 1, 1));
        reused.add(pool.admit(1e6, 1, 1));
        assertThat(reused).containsExactlyInAnyOrder(17, 99);
        assertThat(pool.capacity()).isEqualTo(n);
        assertThat(pool.live[17]).isTrue();
        assertThat(pool.retries[17]).isZero(); // a reused slot starts with no OOM retries
        assertThat(pool.arrive[17]).isEqualTo(1e6);
    }
}
