# pgz -- parallel gzip.  `make` builds ./pgz; `make check` runs every test.
#
#   make check SANITIZE=thread              the suite under ThreadSanitizer
#   make check SANITIZE=address,undefined   ... under ASan + UBSan
#   make soak SOAK_TIME=600                 the command-line property test,
#                                           with interrupts, for 10 minutes
#                                           (not part of check, nor of CI)
#   make install PREFIX=/usr/local DESTDIR=   (BINDIR, MANDIR, BASHCOMPDIR too)
#   make LIBDEFLATE=no                      without the libdeflate engine,
#                                           in build/zlib-only/ (it is built
#                                           in when pkg-config finds it)
#
# Sanitized builds live in build/<sanitizers>/ so they never mix with the
# normal objects in build/default/.

CC         ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS     ?= -O2 -g
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SANITIZE   ?=
comma      := ,

ZLIB_CFLAGS  := $(shell $(PKG_CONFIG) --cflags zlib)
ZLIB_LIBS    := $(shell $(PKG_CONFIG) --libs zlib)
ifneq ($(LIBDEFLATE),no)
  ifeq ($(shell $(PKG_CONFIG) --exists libdeflate && echo yes),yes)
    ZLIB_CFLAGS += -DHAVE_LIBDEFLATE $(shell $(PKG_CONFIG) --cflags libdeflate)
    # Linked statically where the archive is installed: Debian's shared
    # libdeflate 1.14 is much slower at the lazy2 levels (big.tar, -9, one
    # core: 9.6 s shared, 6.0 s static; -6: the same).
    LIBDEFLATE_A := $(filter /%,$(shell $(CC) -print-file-name=libdeflate.a))
    ZLIB_LIBS   += $(if $(LIBDEFLATE_A),$(LIBDEFLATE_A),$(shell $(PKG_CONFIG) --libs libdeflate))
    HAVE_LIBDEFLATE := yes
  endif
endif
CHECK_CFLAGS  = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS    = $(shell $(PKG_CONFIG) --libs check)

WARNINGS  = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CPPFLAGS = -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Isrc $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(WARNINGS) -pthread $(ZLIB_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = -pthread $(LDFLAGS)

ifneq ($(SANITIZE),)
  BUILD := build/$(subst $(comma),-,$(SANITIZE))
  ALL_CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -O1 -g
  ALL_LDFLAGS += -fsanitize=$(SANITIZE)
  PGZ_BIN := $(BUILD)/pgz
else ifeq ($(LIBDEFLATE),no)
  BUILD := build/zlib-only
  PGZ_BIN := $(BUILD)/pgz
else
  BUILD := build/default
  PGZ_BIN := ./pgz
endif
LIB_SRCS  := $(filter-out src/pgz.c $(if $(HAVE_LIBDEFLATE),,src/engine_libdeflate.c),$(wildcard src/*.c))
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)

FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FUZZ_SECONDS ?= 60
SOAK_TIME ?= 600
FUZZ_BIN   = build/fuzz/fuzz_gzreader
# The legacy formats' decoders, each its own target (tests/fuzz/fuzz_NAME.c,
# seeds in tests/fuzz/corpus-NAME), fuzzed FUZZ_LEGACY_SECONDS each by check.
FUZZ_LEGACY = lzw unpack unzip
FUZZ_LEGACY_BINS = $(FUZZ_LEGACY:%=build/fuzz/fuzz_%)
FUZZ_LEGACY_SECONDS ?= 15

.PHONY: all check unit cli fuzz $(FUZZ_LEGACY:%=fuzz-%) soak install uninstall clean bench
all: $(PGZ_BIN)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c $(wildcard src/*.h tests/unit/*.h) | $(BUILD)/unit
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD) $(BUILD)/unit:
	mkdir -p $@

$(BUILD)/pgz: $(BUILD)/pgz.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ZLIB_LIBS)

ifeq ($(PGZ_BIN),./pgz)
./pgz: $(BUILD)/pgz
	cp $< $@
endif

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(ZLIB_LIBS)

# Every test: Check unit tests, the command-line tests (bats; valgrind's
# in the unsanitized run only), the command-line property test (40 s, 15
# under sanitizers; PROP_SECONDS), and FUZZ_SECONDS (60) seconds of
# fuzzing the decoder (in the unsanitized run; the fuzzer has its own
# sanitizers).  The last line printed is "N passed, N failed".
check: $(PGZ_BIN) $(BUILD)/unit-tests $(if $(SANITIZE),,$(FUZZ_BIN) $(FUZZ_LEGACY_BINS))
	@PGZ="$(abspath $(PGZ_BIN))" UNIT_TESTS="$(abspath $(BUILD)/unit-tests)" \
	    FUZZ="$(if $(SANITIZE),,$(abspath $(FUZZ_BIN)))" \
	    FUZZ_LEGACY="$(if $(SANITIZE),,$(abspath $(FUZZ_LEGACY_BINS)))" \
	    FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_LEGACY_SECONDS="$(FUZZ_LEGACY_SECONDS)" \
	    SANITIZE="$(SANITIZE)" bash tests/run.sh

# The decoder's libFuzzer target (clang), seeded from tests/fuzz/corpus;
# new inputs it finds go to build/fuzz/corpus.  make fuzz FUZZ_TIME=600
FUZZ_SRCS  = src/gzreader.c src/gzr_inflate.c src/gzr_other.c src/members.c src/engine.c src/engine_zlib.c src/util.c \
             src/formats.c src/decoder.c src/lzw.c src/unpack.c src/unzip.c \
             $(if $(HAVE_LIBDEFLATE),src/engine_libdeflate.c)
$(FUZZ_BIN): tests/fuzz/fuzz_gzreader.c $(FUZZ_SRCS) $(wildcard src/*.h)
	mkdir -p build/fuzz/corpus
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined $(ALL_CPPFLAGS) \
	    $(ZLIB_CFLAGS) -o $@ tests/fuzz/fuzz_gzreader.c $(FUZZ_SRCS) $(ZLIB_LIBS)

fuzz: $(FUZZ_BIN)
	$(FUZZ_BIN) -max_total_time=$(FUZZ_TIME) build/fuzz/corpus tests/fuzz/corpus

# A legacy decoder's target: its module, the decoder seam and util.c only.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_decoder.h src/%.c src/decoder.c src/util.c $(wildcard src/*.h)
	mkdir -p build/fuzz/corpus-$*
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined $(ALL_CPPFLAGS) \
	    -o $@ $< src/$*.c src/decoder.c src/util.c $(ZLIB_LIBS)

# make fuzz-lzw FUZZ_TIME=600 (or fuzz-unpack, fuzz-unzip)
$(FUZZ_LEGACY:%=fuzz-%): fuzz-%: build/fuzz/fuzz_%
	$< -max_total_time=$(FUZZ_TIME) build/fuzz/corpus-$* tests/fuzz/corpus-$*

# The command-line property test (tests/prop/cli_prop.py) for SOAK_TIME
# seconds, half the cases killed by a random signal, from a seed taken
# from the clock (SOAK_SEED to choose it); prints each failing seed and
# command, then a summary.  make soak SOAK_TIME=3600
soak: $(PGZ_BIN)
	python3 tests/prop/cli_prop.py --pgz "$(abspath $(PGZ_BIN))" \
	    --time $(SOAK_TIME) --interrupts $(if $(SOAK_SEED),--seed $(SOAK_SEED))

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

cli: $(PGZ_BIN)
	PGZ="$(abspath $(PGZ_BIN))" bats tests/cli

bench: ./pgz
	bash bench/bench.sh

# bash-completion loads completions/<command> on first use, so the script
# is installed under each of the three names (pgunzip and pgzcat as links).
install: ./pgz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 pgz $(DESTDIR)$(BINDIR)/pgz
	ln -sf pgz $(DESTDIR)$(BINDIR)/pgunzip
	ln -sf pgz $(DESTDIR)$(BINDIR)/pgzcat
	install -m 644 man/pgz.1 $(DESTDIR)$(MANDIR)/man1/pgz.1
	ln -sf pgz.1 $(DESTDIR)$(MANDIR)/man1/pgunzip.1
	ln -sf pgz.1 $(DESTDIR)$(MANDIR)/man1/pgzcat.1
	install -m 644 completions/pgz.bash $(DESTDIR)$(BASHCOMPDIR)/pgz
	ln -sf pgz $(DESTDIR)$(BASHCOMPDIR)/pgunzip
	ln -sf pgz $(DESTDIR)$(BASHCOMPDIR)/pgzcat

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pgz $(DESTDIR)$(BINDIR)/pgunzip \
	    $(DESTDIR)$(BINDIR)/pgzcat $(DESTDIR)$(MANDIR)/man1/pgz.1 \
	    $(DESTDIR)$(MANDIR)/man1/pgunzip.1 $(DESTDIR)$(MANDIR)/man1/pgzcat.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/pgz $(DESTDIR)$(BASHCOMPDIR)/pgunzip \
	    $(DESTDIR)$(BASHCOMPDIR)/pgzcat

clean:
	rm -rf build pgz
