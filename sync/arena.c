/*
 * arena.c - the memory of one reply (a pulled page, a push's results):
 * every string and array of it hangs on one list, freed at once, so that a
 * reply is handed out whole or not at all and its owner frees one thing.
 * A pulled page's strings stay in its parsed document, which the arena
 * then owns: a first sync's million records are not copied string by
 * string.
 */
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
	cJSON *doc;   /* adopted: deleted with the arena */
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

void *sync_arena_alloc(struct sync_arena *a, size_t n, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct block *b = a->head;
	size_t need;
	char *p;

	if (size && n > (SIZE_MAX - align) / size)
		return NULL;
	need = (n * size + align - 1) / align * align;
	if (!need)
		need = align;
	if (!b || b->size - b->used < need)
		if (!(b = block_new(a, need)))
			return NULL;
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *sync_arena_strdup(struct sync_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = sync_arena_alloc(a, n, 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

void sync_arena_adopt(struct sync_arena *a, cJSON *doc)
{
	cJSON_Delete(a->doc);
	a->doc = doc;
}

void sync_arena_free(struct sync_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	cJSON_Delete(a->doc);
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}
