/* fuzz_json_workorders.c - libFuzzer harness: the input imported as a JSON
 * file of work orders (see lib/csv_target.c). */
#include "csv_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(CE_WORKORDERS, CF_JSON, data, size);
}
