/*
 * heap.c - room on the heap for a bulk job, in transparent huge pages
 * (include/util.h).
 *
 * A large import or ranking touches hundreds of megabytes of small blocks
 * (SQLite's page cache is one malloc per page, the sorter's records, the
 * fits' arrays).  Each 4 KiB the process touches for the first time costs a
 * page fault and a cleared page, and every page afterwards a TLB entry: a
 * million-row import took 162,000 faults, and with huge pages 2,000, a fifth
 * less time (commit and index builds most).  Linux gives huge pages to a
 * private mapping that asks for them (MADV_HUGEPAGE, where the system's
 * setting is "madvise", the default of many distributions); glibc's malloc
 * asks only under the GLIBC_TUNABLES setting glibc.malloc.hugetlb=1, which a
 * program cannot set for itself once running.  So the job grows the heap
 * itself, once and before touching it: with a top pad as large as the job,
 * one allocation makes glibc move the break by that much at once, the new
 * range is advised, and the blocks that follow are carved from it.  Only
 * the pages used are ever backed; the rest stays address space.
 *
 * A huge page the kernel does not have free it makes by compacting memory
 * at the fault (the default "defrag" setting does so for advised ranges),
 * which on a machine whose memory is fragmented cost more system time than
 * the small pages saved.  So the heap is advised only while the kernel has
 * free blocks of a huge page or more for the whole reservation
 * (/proc/buddyinfo).
 *
 * Advice only: on another C library, under a sanitizer's or valgrind's
 * allocator (which do not use the break), where memory is short of huge
 * blocks or the kernel refuses, the job runs the same, only slower, and
 * wr_heap_reserve says it advised nothing.
 */
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "util.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
/* glibc's defaults, given back by wr_heap_release. */
#define GLIBC_DEFAULT_THRESHOLD (128 * 1024)
/* Blocks up to this size come from the heap during the job, not from a
 * mapping of their own (glibc's largest allowed). */
#define JOB_MMAP_THRESHOLD (32 * 1024 * 1024)
/* The allocation that makes glibc move the break: larger than any free
 * block the heap can have, smaller than the threshold above. */
#define GROWING_BLOCK ((size_t)16 << 20)

long long wr_heap_free_huge(const char *buddyinfo, size_t page)
{
	long long total = -1;
	const char *line = buddyinfo, *zone;

	while (page && line && (zone = strstr(line, "zone"))) {
		const char *p = zone + 4;
		char *end;
		while (*p == ' ')
			p++;
		p += strcspn(p, " \n");   /* the zone's name */
		for (size_t block = page;; block *= 2) {
			unsigned long long n = strtoull(p, &end, 10);
			if (end == p || block > SIZE_MAX / 2)
				break;
			if (total < 0)
				total = 0;
			if (block >= HUGE_PAGE)
				total += (long long)(n * block);
			p = end;
		}
		line = strchr(zone, '\n');
	}
	return total;
}

long long wr_heap_free_huge_now(void)
{
	char text[16384];
	FILE *f = fopen("/proc/buddyinfo", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return wr_heap_free_huge(text, (size_t)sysconf(_SC_PAGESIZE));
}

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
/* Whether the kernel has the huge pages at hand: unknown counts as yes,
 * as the kernel then decides alone. */
static int huge_pages_free(size_t bytes)
{
	long long free_bytes = wr_heap_free_huge_now();

	return free_bytes < 0 || (unsigned long long)free_bytes >= bytes;
}

static char *grown_break(size_t bytes)
{
	void *volatile block;   /* volatile: a malloc freed at once is optimised away */
	char *before = sbrk(0), *after;

	if (before == (void *)-1 || !mallopt(M_TOP_PAD, (int)bytes))
		return NULL;
	block = malloc(GROWING_BLOCK);
	free(block);
	(void)mallopt(M_TOP_PAD, GLIBC_DEFAULT_THRESHOLD);
	after = sbrk(0);
	return after == (void *)-1 || after <= before ? NULL : after;
}

size_t wr_heap_reserve(size_t bytes)
{
	uintptr_t from, to;
	char *end;

	if (bytes < HUGE_PAGE || !huge_pages_free(bytes))
		return 0;
	if (bytes > INT_MAX - GROWING_BLOCK)
		bytes = INT_MAX - GROWING_BLOCK;
	/* Freed blocks stay on the heap, in the advised range, rather than
	 * being trimmed off its end. */
	if (!mallopt(M_TRIM_THRESHOLD, INT_MAX) || !mallopt(M_MMAP_THRESHOLD, JOB_MMAP_THRESHOLD))
		return 0;
	from = ((uintptr_t)sbrk(0) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (!(end = grown_break(bytes)))
		return 0;
	to = (uintptr_t)end & ~(HUGE_PAGE - 1);
	if (to <= from || madvise((void *)from, to - from, MADV_HUGEPAGE) != 0)
		return 0;
	return to - from;
}

void wr_heap_release(void)
{
	(void)mallopt(M_MMAP_THRESHOLD, GLIBC_DEFAULT_THRESHOLD);
	(void)mallopt(M_TRIM_THRESHOLD, GLIBC_DEFAULT_THRESHOLD);
	(void)malloc_trim(0);
}
#else
size_t wr_heap_reserve(size_t bytes)
{
	(void)bytes;
	return 0;
}

void wr_heap_release(void)
{
}
#endif
