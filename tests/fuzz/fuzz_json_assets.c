/* fuzz_json_assets.c - libFuzzer harness: the input imported as a JSON Lines
 * file of assets (see lib/csv_target.c). */
#include "csv_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(CE_ASSETS, CF_JSONL, data, size);
}
