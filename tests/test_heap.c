/*
 * test_heap.c - room on the heap in huge pages for a bulk job
 * (store/heap.c): the heap grows by what was asked, the kernel is told the
 * range wants huge pages (its mapping says so in /proc/self/smaps), the
 * blocks that follow come from it, and the release hands it back.  Under a
 * sanitizer's or valgrind's allocator, or a kernel without transparent
 * huge pages, nothing can be advised, and the function must say so.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

#define MIB ((size_t)1 << 20)

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* Whether this process's malloc is glibc's own on a kernel with huge
 * pages: the only case where the heap can be advised. */
static int can_advise(void)
{
#if !defined(__GLIBC__) || defined(UNDER_SANITIZER)
	return 0;
#else
	const char *preload = getenv("LD_PRELOAD");

	if (preload && strstr(preload, "vgpreload"))
		return 0;   /* valgrind's allocator */
	return access("/sys/kernel/mm/transparent_hugepage", F_OK) == 0;
#endif
}

/* The VmFlags of the mapping that holds p, from /proc/self/smaps. */
static int mapping_flags(const void *p, char *flags, size_t n)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0, found = 0;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			wr_strlcpy(flags, line + 8, n);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

START_TEST(reserved_heap_is_advised_for_huge_pages)
{
	size_t want = 96 * MIB, got = wr_heap_reserve(want);
	char flags[512];

	if (!can_advise()) {
		ck_assert_uint_eq(got, 0);
		return;
	}
	/* Both ends are cut to whole huge pages (2 MiB each). */
	ck_assert_uint_ge(got, want - 4 * MIB);
	ck_assert_uint_le(got, want + 16 * MIB);
	/* The advised range ends at the break, cut to a huge page. */
	char *end = sbrk(0);
	char *to = (char *)((uintptr_t)end & ~(uintptr_t)(2 * MIB - 1)), *from = to - got;
	/* A large block now comes from it, not from a mapping of its own (at
	 * 20 MiB it is above glibc's usual threshold), and the break stays; the
	 * block may begin in the heap's free end below the range. */
	char *block = malloc(20 * MIB);
	ck_assert_ptr_nonnull(block);
	memset(block, 1, 20 * MIB);
	ck_assert(block + 10 * MIB >= from);
	ck_assert(block + 20 * MIB <= end);
	ck_assert_ptr_eq((char *)sbrk(0), end);
	ck_assert(mapping_flags(block + 10 * MIB, flags, sizeof flags));
	ck_assert_msg(strstr(flags, " hg") != NULL, "mapping not advised:%s", flags);
	free(block);
}
END_TEST

START_TEST(release_gives_the_heap_back)
{
	if (!can_advise()) {
		ck_assert_uint_eq(wr_heap_reserve(64 * MIB), 0);
		wr_heap_release();
		char *p = malloc(MIB);
		ck_assert_ptr_nonnull(p);
		free(p);
		return;
	}
	ck_assert_uint_gt(wr_heap_reserve(64 * MIB), 0);
	char *top = sbrk(0);
	wr_heap_release();
	/* The unused reservation is trimmed off the heap's end. */
	ck_assert((char *)sbrk(0) < top - 32 * MIB);
	char *p = malloc(MIB);
	ck_assert_ptr_nonnull(p);
	memset(p, 2, MIB);
	free(p);
}
END_TEST

START_TEST(small_requests_advise_nothing)
{
	char *before = sbrk(0);

	ck_assert_uint_eq(wr_heap_reserve(MIB), 0);
	ck_assert_ptr_eq((char *)sbrk(0), before);
}
END_TEST

static Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("reserve");

	tcase_add_test(tc, reserved_heap_is_advised_for_huge_pages);
	tcase_add_test(tc, release_gives_the_heap_back);
	tcase_add_test(tc, small_requests_advise_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(heap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
