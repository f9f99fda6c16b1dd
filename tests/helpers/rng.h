/*
 * rng.h - the tests' one pseudo-random draw (splitmix64): seeded, the same
 * sequence on every machine, so a simulated fleet is the same in every run.
 */
#ifndef WRENCH_TEST_RNG_H
#define WRENCH_TEST_RNG_H

#include <stdint.h>

/* A uniform draw in (0, 1), advancing *state. */
double test_unif(uint64_t *state);

#endif
