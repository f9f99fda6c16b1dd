/*
 * test_heap.c - room on the heap in huge pages for a bulk job
 * (store/heap.c): the heap grows by what was asked, the kernel is told the
 * range wants huge pages (its mapping says so in /proc/self/smaps), the
 * blocks that follow come from it, and the release hands it back; the
 * kernel's free huge blocks are read from /proc/buddyinfo.  Under a
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
 * pages free for `bytes`: the only case where the heap can be advised. */
static int can_advise(size_t bytes)
{
#if !defined(__GLIBC__) || defined(UNDER_SANITIZER)
	(void)bytes;
	return 0;
#else
	const char *preload = getenv("LD_PRELOAD");
	long long free_bytes = wr_heap_free_huge_now();

	if (preload && strstr(preload, "vgpreload"))
		return 0;   /* valgrind's allocator */
	if (free_bytes >= 0 && (unsigned long long)free_bytes < bytes)
		return 0;
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

	if (!can_advise(want)) {
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
	if (!can_advise(64 * MIB)) {
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

/* The kernel's free blocks as /proc/buddyinfo gives them: counts of free
 * blocks of 1, 2, 4 ... 1024 pages per zone; only blocks of 2 MiB or more
 * (orders 9 and 10 with 4 KiB pages) can be huge pages. */
START_TEST(free_huge_blocks_are_read_from_buddyinfo)
{
	static const char text[] =
		"Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
		"Node 0, zone    DMA32      2      4      2      2      1      2      0      3      3      1    753 \n"
		"Node 0, zone   Normal   1125   1033    821    604    377    229    160    130    235    173    451 \n";
	/* DMA 1 x 2 + 3 x 4, DMA32 1 x 2 + 753 x 4, Normal 173 x 2 + 451 x 4 (MiB) */
	long long want = (long long)((1 * 2 + 3 * 4) + (1 * 2 + 753 * 4) + (173 * 2 + 451 * 4)) << 20;

	ck_assert_int_eq(wr_heap_free_huge(text, 4096), want);
	/* With 64 KiB pages, order 5 (2 MiB) and up count. */
	ck_assert_int_eq(wr_heap_free_huge("Node 0, zone Normal 7 0 0 0 0 2 1\n", 65536),
	                 (long long)(2 * 2 + 1 * 4) << 20);
	/* Memory in small blocks only: none free for huge pages. */
	ck_assert_int_eq(wr_heap_free_huge("Node 0, zone Normal 900 800 700\n", 4096), 0);
	/* Text that names no zone says nothing. */
	ck_assert_int_eq(wr_heap_free_huge("", 4096), -1);
	ck_assert_int_eq(wr_heap_free_huge("garbage\n", 4096), -1);
}
END_TEST

static Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("reserve");

	tcase_add_test(tc, reserved_heap_is_advised_for_huge_pages);
	tcase_add_test(tc, release_gives_the_heap_back);
	tcase_add_test(tc, small_requests_advise_nothing);
	tcase_add_test(tc, free_huge_blocks_are_read_from_buddyinfo);
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
