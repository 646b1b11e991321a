/* Shared by the libFuzzer targets of tests/fuzz/ (docs/fuzzing.md). */
#ifndef PE_FUZZ_H
#define PE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_common.c */
/* The code under test reports bad input on stderr and through lib/log;
 * a fuzzer feeds it millions of bad inputs. This points the stdio stream
 * `stderr` at /dev/null (unless FUZZ_VERBOSE is set) and the log at it too.
 * libFuzzer and the sanitizers keep writing their reports to fd 2. */
void fuzz_quiet(void);

#endif
