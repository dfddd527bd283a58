#include "tb.h"

void tb_init(struct tb *b, double grant, uint64_t now_ns)
{
    b->window_start_ns = now_ns;
    b->grant = grant;
    b->tokens = grant;
    b->stall_start_ns = 0;
    b->stall_ns = 0;
}

void tb_set_grant(struct tb *b, double grant, uint64_t now_ns)
{
    b->grant = grant;
    b->window_start_ns = now_ns;
    b->tokens = grant;
    if (b->stall_start_ns != 0) {
        b->stall_ns += now_ns - b->stall_start_ns;
        b->stall_start_ns = 0;
    }
}

void tb_refill(struct tb *b, uint64_t now_ns)
{
    if (now_ns < b->window_start_ns + TB_WINDOW_NS)
        return;
    uint64_t windows = (now_ns - b->window_start_ns) / TB_WINDOW_NS;
    b->window_start_ns += windows * TB_WINDOW_NS;
    b->tokens += (double)windows * b->grant;
    if (b->tokens > b->grant)
        b->tokens = b->grant;
    if (b->tokens > 0 && b->stall_start_ns != 0) {
        b->stall_ns += now_ns - b->stall_start_ns;
        b->stall_start_ns = 0;
    }
}

uint64_t tb_take(struct tb *b, double cost, uint64_t now_ns)
{
    if (b->tokens > 0) {
        b->tokens -= cost;
        return 0;
    }
    if (b->stall_start_ns == 0)
        b->stall_start_ns = now_ns;
    uint64_t next = b->window_start_ns + TB_WINDOW_NS;
    return next > now_ns ? next - now_ns : 1;
}
