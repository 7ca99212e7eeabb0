/* fuzz_unzip.c -- libFuzzer target for the zip decoder (unzip.h): see
   fuzz_decoder.h for what it checks.  Seeds: tests/fuzz/corpus-unzip. */
#include "unzip.h"

#define NEW_DECODER unzip_decoder_new
#include "fuzz_decoder.h"
