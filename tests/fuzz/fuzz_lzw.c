/* fuzz_lzw.c -- libFuzzer target for the compress (.Z) decoder (lzw.h): see
   fuzz_decoder.h for what it checks.  Seeds: tests/fuzz/corpus-lzw. */
#include "lzw.h"

#define NEW_DECODER lzw_decoder_new
#include "fuzz_decoder.h"
