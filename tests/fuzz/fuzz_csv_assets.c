/* fuzz_csv_assets.c - libFuzzer harness: the input imported as a CSV file of
 * assets (see lib/csv_target.c). */
#include "csv_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_csv_import(CE_ASSETS, data, size);
}
