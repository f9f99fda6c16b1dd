/* fuzz_csv_pms.c - libFuzzer harness: the input imported as a CSV file of
 * pms (see lib/csv_target.c). */
#include "csv_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_csv_import(CE_PMS, data, size);
}
