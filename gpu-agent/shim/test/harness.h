/* A tiny test harness: TEST(name) registers a test, ASSERT_* print both values and fail the test,
 * RUN_TESTS() runs them all and ends with the line "N passed, N failed". */
#ifndef SAIR_HARNESS_H
#define SAIR_HARNESS_H

#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    void (*fn)(int *failed);
};

#define MAX_TESTS 128
static struct test_case g_tests[MAX_TESTS];
static int g_ntests;

#define TEST(name)                                                                             \
    static void test_##name(int *failed_);                                                     \
    __attribute__((constructor)) static void register_##name(void)                             \
    {                                                                                          \
        if (g_ntests < MAX_TESTS)                                                              \
            g_tests[g_ntests++] = (struct test_case){ #name, test_##name };                    \
    }                                                                                          \
    static void test_##name(int *failed_)

#define FAIL_AT(fmt, ...)                                                                      \
    do {                                                                                       \
        printf("  FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__);                  \
        *failed_ = 1;                                                                          \
        return;                                                                                \
    } while (0)

#define ASSERT_TRUE(c)                                                                         \
    do {                                                                                       \
        if (!(c))                                                                              \
            FAIL_AT("expected %s", #c);                                                        \
    } while (0)

#define ASSERT_EQ(a, b)                                                                        \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_)                                                                          \
            FAIL_AT("%s == %s: %lld != %lld", #a, #b, a_, b_);                                 \
    } while (0)

#define ASSERT_NEAR(a, b, tol)                                                                 \
    do {                                                                                       \
        double a_ = (double)(a), b_ = (double)(b);                                             \
        if (a_ - b_ > (tol) || b_ - a_ > (tol))                                                \
            FAIL_AT("%s ~= %s: %g vs %g (tol %g)", #a, #b, a_, b_, (double)(tol));             \
    } while (0)

#define ASSERT_STREQ(a, b)                                                                     \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (strcmp(a_, b_) != 0)                                                               \
            FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_);                             \
    } while (0)

static int run_tests(void)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < g_ntests; i++) {
        int f = 0;
        g_tests[i].fn(&f);
        printf("%s %s\n", f ? "FAIL" : "ok  ", g_tests[i].name);
        if (f)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
