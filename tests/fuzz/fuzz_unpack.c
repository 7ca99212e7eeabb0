/* fuzz_unpack.c -- libFuzzer target for the pack (.z) decoder (unpack.h): see
   fuzz_decoder.h for what it checks.  Seeds: tests/fuzz/corpus-unpack. */
#include "unpack.h"

#define NEW_DECODER unpack_decoder_new
#include "fuzz_decoder.h"
