package io.sair.sim.plant;

/**
 * A FIFO of ints on a power-of-two ring that can also take an int back at its head: a stage's queue of
 * request indices, where an OOM-killed pod's requests return to the front. No boxing, grows by doubling.
 */
final class IntRing {

    private int[] ring;
    private int head;
    private int size;

    IntRing(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
        }
        ring = new int[capacity];
    }

    int size() {
        return size;
    }

    void addLast(int v) {
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = v;
        size++;
    }

    void addFirst(int v) {
        if (size == ring.length) {
            grow();
        }
        head = (head - 1) & (ring.length - 1);
        ring[head] = v;
        size++;
    }

    /** Takes the head; the caller checks {@link #size()} first. */
    int removeFirst() {
        int v = ring[head];
        head = (head + 1) & (ring.length - 1);
        size--;
        return v;
    }

    private void grow() {
        int[] n = new int[ring.length * 2];
        for (int i = 0; i < size; i++) {
            n[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = n;
        head = 0;
    }
}
