/*
 * csv_target.h - what every import harness (tests/fuzz/fuzz_csv_*.c,
 * fuzz_json_*.c) shares: the fuzz input imported as a CSV (or JSON) file of
 * one entity.
 */
#ifndef WRENCH_FUZZ_CSV_TARGET_H
#define WRENCH_FUZZ_CSV_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "csvio.h"

/* Imports data[0..size) as a CSV file of `entity` into an in-memory
 * database holding the example plant (assets/examples, found under
 * $WRENCH_SRC or the current folder), and checks what the importer
 * promises; aborts on a broken promise, so that libFuzzer reports it.
 * Always returns 0 (libFuzzer's "keep going"). */
int fuzz_csv_import(int entity, const uint8_t *data, size_t size);
/* The same in another format (enum csv_format: CF_JSON, CF_JSONL), whose
 * export is then imported again in that format. */
int fuzz_import(int entity, int format, const uint8_t *data, size_t size);

#endif
