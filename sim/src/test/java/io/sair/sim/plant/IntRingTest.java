package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntRingTest {

    @Test
    void keepsFifoOrderAndTakesRequeuedWorkAtTheHeadAcrossGrowth() {
        IntRing ring = new IntRing(2);
        ring.addLast(1);
        ring.addLast(2);
        ring.addFirst(0); // grows while wrapped: the head moves below index 0
        ring.addLast(3);
        ring.addFirst(-1);
        assertThat(ring.size()).isEqualTo(5);
        int[] out = new int[5];
        for (int i = 0; i < out.length; i++) {
            out[i] = ring.removeFirst();
        }
        assertThat(out).containsExactly(-1, 0, 1, 2, 3);
        assertThat(ring.size()).isZero();
    }

    @Test
    void behavesAsADequeUnderRandomUse() {
        IntRing ring = new IntRing(4);
        ArrayDeque<Integer> model = new ArrayDeque<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            int op = rnd.nextInt(3);
            if (op == 0) {
                ring.addLast(i);
                model.addLast(i);
            } else if (op == 1) {
                ring.addFirst(i);
                model.addFirst(i);
            } else if (!model.isEmpty()) {
                assertThat(ring.removeFirst()).isEqualTo(model.removeFirst());
            }
            assertThat(ring.size()).isEqualTo(model.size());
        }
    }

    @Test
    void refusesACapacityThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new IntRing(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
