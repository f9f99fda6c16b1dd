/*
 * ratelimit.c - a token bucket per bearer token, in this process only: with
 * several instances each enforces the rate on what it sees.
 */
#include <pthread.h>
#include <math.h>

#include "central.h"

#define SLOTS 4096

static struct {
	pthread_mutex_t mu;
	double rate, burst;
	struct { long long id; double tokens; int64_t at; } slot[SLOTS];
} rl = {PTHREAD_MUTEX_INITIALIZER, 50, 100, {{0, 0, 0}}};

void ratelimit_config(double per_second, double burst)
{
	rl.rate = per_second;
	rl.burst = burst;
}

int ratelimit_take(long long token_id)
{
	unsigned h = (unsigned)(token_id * 2654435761u) % SLOTS;
	int64_t now = mono_ms();
	int wait = 0;

	if (rl.rate <= 0)
		return 0;
	pthread_mutex_lock(&rl.mu);
	if (rl.slot[h].id != token_id) {
		/* A token sharing the slot starts afresh: the table only has to
		 * hold the tokens active now. */
		rl.slot[h].id = token_id;
		rl.slot[h].tokens = rl.burst;
		rl.slot[h].at = now;
	}
	rl.slot[h].tokens += (double)(now - rl.slot[h].at) / 1000.0 * rl.rate;
	if (rl.slot[h].tokens > rl.burst)
		rl.slot[h].tokens = rl.burst;
	rl.slot[h].at = now;
	if (rl.slot[h].tokens >= 1)
		rl.slot[h].tokens -= 1;
	else
		wait = (int)ceil((1 - rl.slot[h].tokens) / rl.rate);
	pthread_mutex_unlock(&rl.mu);
	return wait;
}
