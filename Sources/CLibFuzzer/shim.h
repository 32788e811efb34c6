// libFuzzer's driver (in the runtime that -sanitize=fuzzer links). SwiftPM points an executable's main at the
// module's own entry point, so libFuzzer's main never runs and ledger-fuzz starts the driver itself.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
