package io.sair.core.window;

import java.util.Arrays;

/** Selection on primitive arrays: the k-th smallest in place, without sorting the rest. */
final class Select {

    private Select() {
    }

    /**
     * Reorders {@code a[from, to)} so that {@code a[k]} holds the value a sort would put there, nothing after it is
     * smaller and nothing before it larger. Quickselect with a median-of-three pivot; after a number of rounds that
     * only bad pivots reach, the rest is sorted, so the worst case is a sort's.
     */
    static void kth(long[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        int rounds = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, to - from)));
        while (hi > lo) {
            if (rounds-- == 0 || hi - lo < 16) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            long pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            // Three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                long v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt--] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return;
            }
        }
    }

    /**
     * The value a sort would put at {@code k} in {@code a[0, n)} when few lie above it: one pass keeps the
     * {@code n - k} largest in a min-heap, whose head is that value. The array is left as it was. For a window's p99,
     * where a partition pass moves most of the samples to find the top hundredth.
     */
    static long kthOfFewAbove(long[] a, int n, int k) {
        int m = n - k;
        long[] heap = new long[m];
        int size = 0;
        for (int i = 0; i < n; i++) {
            long v = a[i];
            if (size < m) {
                int c = size++;
                while (c > 0 && heap[(c - 1) >>> 1] > v) {
                    heap[c] = heap[(c - 1) >>> 1];
                    c = (c - 1) >>> 1;
                }
                heap[c] = v;
            } else if (v > heap[0]) {
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= m) {
                        break;
                    }
                    if (l + 1 < m && heap[l + 1] < heap[l]) {
                        l++;
                    }
                    if (heap[l] >= v) {
                        break;
                    }
                    heap[c] = heap[l];
                    c = l;
                }
                heap[c] = v;
            }
        }
        return heap[0];
    }

    private static long medianOfThree(long x, long y, long z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
