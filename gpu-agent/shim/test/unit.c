/* Unit tests of the pure parts: the token bucket and the protocol parser/formatters. */
#include <errno.h>
#include <string.h>

#include "../src/proto.h"
#include "../src/tb.h"
#include "harness.h"

#define MS 1000000ull

/* ---- token bucket ---- */

TEST(tb_grants_until_empty_then_waits_for_the_next_window)
{
    struct tb b;
    tb_init(&b, 100, 0);
    ASSERT_EQ(tb_take(&b, 60, 1 * MS), 0);
    ASSERT_EQ(tb_take(&b, 60, 2 * MS), 0); /* a positive balance may be overdrawn */
    ASSERT_NEAR(b.tokens, -20, 1e-9);
    ASSERT_EQ(tb_take(&b, 10, 3 * MS), 7 * MS); /* wait until the 10 ms boundary */
}

TEST(tb_refill_adds_one_grant_per_window_passed)
{
    struct tb b;
    tb_init(&b, 100, 0);
    ASSERT_EQ(tb_take(&b, 350, 0), 0);
    ASSERT_NEAR(b.tokens, -250, 1e-9);
    tb_refill(&b, 9 * MS);
    ASSERT_NEAR(b.tokens, -250, 1e-9); /* no boundary passed */
    tb_refill(&b, 25 * MS);
    ASSERT_NEAR(b.tokens, -50, 1e-9); /* two windows */
    ASSERT_EQ(b.window_start_ns, 20 * MS);
}

TEST(tb_balance_is_capped_at_one_window)
{
    struct tb b;
    tb_init(&b, 100, 0);
    tb_refill(&b, 1000 * MS); /* an idle second banks no burst */
    ASSERT_NEAR(b.tokens, 100, 1e-9);
}

TEST(tb_long_run_rate_equals_grant_per_window)
{
    /* A greedy caller taking 7-block launches, always retrying at the returned time. */
    struct tb b;
    uint64_t t = 0, taken = 0;
    tb_init(&b, 50, 0);
    while (t < 1000 * MS) {
        tb_refill(&b, t);
        uint64_t w = tb_take(&b, 7, t);
        if (w == 0)
            taken += 7;
        else
            t += w;
    }
    /* 100 windows of 50 blocks, plus the first full bucket and at most one overdraft. */
    ASSERT_NEAR((double)taken, 100 * 50, 60);
}

TEST(tb_big_launch_runs_into_debt_and_repays_it)
{
    struct tb b;
    tb_init(&b, 10, 0);
    ASSERT_EQ(tb_take(&b, 95, 0), 0); /* -85: nine windows of refill before the next one */
    uint64_t t = 0;
    int waits = 0;
    for (;;) {
        tb_refill(&b, t);
        uint64_t w = tb_take(&b, 1, t);
        if (w == 0)
            break;
        t += w;
        waits++;
    }
    ASSERT_EQ(waits, 9);
    ASSERT_EQ(t, 90 * MS);
}

TEST(tb_stall_time_counts_only_while_a_take_is_waiting)
{
    struct tb b;
    tb_init(&b, 10, 0);
    ASSERT_EQ(tb_take(&b, 10, 0), 0);
    ASSERT_EQ(tb_take(&b, 1, 4 * MS), 6 * MS); /* empty from 4 ms */
    tb_refill(&b, 10 * MS);
    ASSERT_EQ(b.stall_ns, 6 * MS);
    ASSERT_EQ(b.stall_start_ns, 0);
    tb_refill(&b, 500 * MS); /* idle, nobody waiting: no stall */
    ASSERT_EQ(b.stall_ns, 6 * MS);
}

TEST(tb_set_grant_restarts_the_window_full_and_ends_a_stall)
{
    struct tb b;
    tb_init(&b, 10, 0);
    ASSERT_EQ(tb_take(&b, 500, 0), 0);
    ASSERT_TRUE(tb_take(&b, 1, 2 * MS) > 0);
    tb_set_grant(&b, 1000, 3 * MS); /* a rate increase: the waiter goes now, debt forgiven */
    ASSERT_EQ(tb_take(&b, 1, 3 * MS), 0);
    ASSERT_EQ(b.stall_ns, 1 * MS);
    ASSERT_EQ(b.window_start_ns, 3 * MS);
}

/* ---- protocol ---- */

static int parse(const char *s, struct sair_msg *m, const char **reason)
{
    return sair_proto_parse(s, strlen(s), m, reason);
}

TEST(proto_parses_rate_and_stats)
{
    struct sair_msg m;
    const char *r = NULL;
    ASSERT_EQ(parse("SAIR/1 RATE 0.5\n", &m, &r), 0);
    ASSERT_EQ(m.type, SAIR_MSG_RATE);
    ASSERT_NEAR(m.rate, 0.5, 1e-12);
    ASSERT_EQ(parse("SAIR/1 RATE 1\r\n", &m, &r), 0);
    ASSERT_NEAR(m.rate, 1.0, 1e-12);
    ASSERT_EQ(parse("SAIR/1 RATE 0.1", &m, &r), 0);
    ASSERT_NEAR(m.rate, 0.1, 1e-12);
    ASSERT_EQ(parse("SAIR/1 STATS\n", &m, &r), 0);
    ASSERT_EQ(m.type, SAIR_MSG_STATS);
}

TEST(proto_refuses_rates_outside_range)
{
    struct sair_msg m;
    const char *r = NULL;
    ASSERT_EQ(parse("SAIR/1 RATE 1.5\n", &m, &r), -ERANGE);
    ASSERT_STREQ(r, "rate outside [0.1, 1]");
    ASSERT_EQ(parse("SAIR/1 RATE 0.09\n", &m, &r), -ERANGE);
    ASSERT_EQ(parse("SAIR/1 RATE -1\n", &m, &r), -ERANGE);
    ASSERT_EQ(parse("SAIR/1 RATE 0\n", &m, &r), -ERANGE);
}

TEST(proto_refuses_malformed_numbers)
{
    struct sair_msg m;
    const char *r = NULL;
    ASSERT_EQ(parse("SAIR/1 RATE\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 RATE abc\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 RATE nan\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 RATE inf\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 RATE 0x1p-1\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 RATE 0.5 0.6\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 STATS now\n", &m, &r), -EINVAL);
}

TEST(proto_refuses_other_magic_and_versions)
{
    struct sair_msg m;
    const char *r = NULL;
    ASSERT_EQ(parse("SAIR/2 STATS\n", &m, &r), -EPROTO);
    ASSERT_STREQ(r, "unsupported protocol version");
    ASSERT_EQ(parse("SAIR/10 STATS\n", &m, &r), -EPROTO);
    ASSERT_EQ(parse("STATS\n", &m, &r), -EPROTO);
    ASSERT_STREQ(r, "missing SAIR/1 magic");
    ASSERT_EQ(parse("", &m, &r), -EPROTO);
    ASSERT_EQ(parse("SAIR/1\n", &m, &r), -EINVAL);
    ASSERT_EQ(parse("SAIR/1 HELLO\n", &m, &r), -EINVAL);
    ASSERT_STREQ(r, "unknown verb");
    ASSERT_EQ(parse("SAIR/1 rate 0.5\n", &m, &r), -EINVAL); /* verbs are case sensitive */
}

TEST(proto_formats_replies)
{
    char buf[256];
    struct sair_stats s = { .rate = 0.5, .launches = 7, .blocks = 700, .throttled_ns = 12345,
                            .pid = 42, .workload = "p/s/pod-1" };
    ASSERT_EQ(sair_proto_format_ok_rate(buf, sizeof(buf), 0.25), (int)strlen("SAIR/1 OK rate=0.25\n"));
    ASSERT_STREQ(buf, "SAIR/1 OK rate=0.25\n");
    ASSERT_TRUE(sair_proto_format_stats(buf, sizeof(buf), &s) > 0);
    ASSERT_STREQ(buf, "SAIR/1 OK rate=0.5 launches=7 blocks=700 throttled_ns=12345 pid=42 workload=p/s/pod-1\n");
    s.workload = "";
    ASSERT_TRUE(sair_proto_format_stats(buf, sizeof(buf), &s) > 0);
    ASSERT_TRUE(strstr(buf, " workload=-\n") != NULL);
    ASSERT_TRUE(sair_proto_format_err(buf, sizeof(buf), "unknown verb") > 0);
    ASSERT_STREQ(buf, "SAIR/1 ERR unknown verb\n");
    ASSERT_EQ(sair_proto_format_ok_rate(buf, 8, 0.5), -ENOSPC);
}

TEST(socket_name_carries_the_pid_namespace)
{
    char buf[64];
    uint64_t ns = 0;
    ASSERT_EQ(sair_pidns_parse("pid:[4026531836]", 16, &ns), 0);
    ASSERT_TRUE(ns == 4026531836ull);
    ASSERT_EQ(sair_socket_name(buf, sizeof(buf), ns, 1), (int)strlen("4026531836-1.sock"));
    ASSERT_STREQ(buf, "4026531836-1.sock");
    /* Two containers' pid 1 no longer share a name. */
    ASSERT_EQ(sair_socket_name(buf, sizeof(buf), 4026532999ull, 1), (int)strlen("4026532999-1.sock"));
    ASSERT_STREQ(buf, "4026532999-1.sock");
    ASSERT_EQ(sair_socket_name(buf, 8, ns, 1), -ENOSPC);
    ASSERT_EQ(sair_pidns_parse("net:[4026531836]", 16, &ns), -EINVAL);
    ASSERT_EQ(sair_pidns_parse("pid:[]", 6, &ns), -EINVAL);
    ASSERT_EQ(sair_pidns_parse("pid:[12a]", 9, &ns), -EINVAL);
    ASSERT_EQ(sair_pidns_parse("pid:[123", 8, &ns), -EINVAL);
    ASSERT_EQ(sair_pidns_parse("pid:[99999999999999999999999]", 29, &ns), -EINVAL);
}

int main(void)
{
    return run_tests();
}
