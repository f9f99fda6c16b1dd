/*
 * arena.c - the memory of one reply (a pulled page, a push's results):
 * every string and array of it hangs on one list, freed at once, so that a
 * reply is handed out whole or not at all and its owner frees one thing.
 * The reply's parsed document is made in the arena too
 * (sync_arena_parse), and its strings are used in place: cJSON allocates
 * every value, key and string on its own, and a first sync's 50 million
 * small allocations and frees, with malloc's consolidation of them, were
 * half of the thread that fetches its pages.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* Blocks of at least this size; a larger request gets a block of its own. */
#define ARENA_BLOCK 16384

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct sync_arena {
	struct block *head;
};

struct sync_arena *sync_arena_new(void)
{
	return calloc(1, sizeof(struct sync_arena));
}

static struct block *block_new(struct sync_arena *a, size_t need)
{
	size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
	struct block *b = malloc(sizeof *b + size);

	if (!b)
		return NULL;
	b->size = size;
	b->used = 0;
	b->next = a->head;
	a->head = b;
	return b;
}

/* n bytes, not zeroed, aligned for any type. */
static void *arena_raw(struct sync_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	struct block *b = a->head;
	size_t need;
	char *p;

	if (n > SIZE_MAX - align)
		return NULL;
	need = (n + align - 1) / align * align;
	if (!need)
		need = align;
	if (!b || b->size - b->used < need)
		if (!(b = block_new(a, need)))
			return NULL;
	p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

void *sync_arena_alloc(struct sync_arena *a, size_t n, size_t size)
{
	char *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	if ((p = arena_raw(a, n * size)))
		memset(p, 0, n * size);
	return p;
}

/* cJSON's allocations: from the arena parsing on this thread, if any,
 * else from malloc.  Nothing of an arena is freed on its own (cJSON
 * frees what it made when a parse fails): the arena goes whole. */
static _Thread_local struct sync_arena *parsing;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void *hook_alloc(size_t n)
{
	return parsing ? arena_raw(parsing, n) : malloc(n);
}

static void hook_free(void *p)
{
	if (!parsing)
		free(p);
}

static void hooks_install(void)
{
	cJSON_Hooks h = {hook_alloc, hook_free};
	cJSON_InitHooks(&h);
}

void sync_init(void)
{
	pthread_once(&hooks_once, hooks_install);
}

cJSON *sync_arena_parse(struct sync_arena *a, const char *text, const char **end)
{
	cJSON *doc;

	sync_init();
	parsing = a;
	doc = cJSON_ParseWithOpts(text, end, 1);
	parsing = NULL;
	return doc;
}

void sync_arena_free(struct sync_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}
