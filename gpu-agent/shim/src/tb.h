/* Token bucket for kernel launches: pure functions over a struct, time passed in explicitly.
 * No globals, no locking, no CUDA: the caller serialises access (shim.c holds a mutex). */
#ifndef SAIR_TB_H
#define SAIR_TB_H

#include <stdint.h>

#define TB_WINDOW_NS 10000000ull /* every 10 ms window grants one window's worth of tokens */

struct tb {
    uint64_t window_start_ns; /* start of the current window */
    double grant;             /* tokens (blocks) granted per window: rho * capacity * window */
    double tokens;            /* may go negative: a launch larger than the grant runs into debt */
    uint64_t stall_start_ns;  /* 0, or when a take first found the bucket empty */
    uint64_t stall_ns;        /* total wall time the bucket was empty with a launch waiting */
};

/* Reset to a full bucket with the given per-window grant, starting a window at now_ns. */
void tb_init(struct tb *b, double grant, uint64_t now_ns);

/* Change the grant (a rate change): a fresh window starts at now_ns with a full balance at the
 * new grant, so a launch waiting under the old rate goes at once and old debt is forgiven;
 * an ongoing stall ends here. */
void tb_set_grant(struct tb *b, double grant, uint64_t now_ns);

/* Add the grants of every window boundary passed since the last refill. The balance is capped
 * at one window's grant, so an idle period does not bank a burst. */
void tb_refill(struct tb *b, uint64_t now_ns);

/* Try to take `cost` tokens at now_ns (call tb_refill first). Returns 0 when granted (a launch
 * that finds a positive balance may overdraw it), otherwise the ns to wait until the next
 * window boundary, when the caller should refill and try again. */
uint64_t tb_take(struct tb *b, double cost, uint64_t now_ns);

#endif
