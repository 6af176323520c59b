# rapport - relationship analytics engine for nonprofits.
#
#   make            build ./rapport
#   make demo       install what is missing, build, start a throwaway
#                   PostgreSQL under .pgdata/, load the demo organisation,
#                   run the engine, write out/demo/
#   make check      the full test suite (unit + integration on a real server)
#   make asan       the test suite built with AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind memcheck
#   make deps       apt-get install what is missing (no-op when all present)
#   make lint       banned functions, clang-format check
#
# Quiet unless V=1.  -Werror when CI is set (CI=true) or WERROR=1.

CC      ?= cc
PKGS    := libpq gsl cairo pangocairo jansson libpng
OPT     ?= -O2
WARN    := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN    += -Werror
endif
SAN     ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= $(OPT) -g
REPORTS_DIR ?= $(CURDIR)/reports
ALL_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -DRP_REPORTS_DIR='"$(REPORTS_DIR)"' $(CFLAGS) $(WARN) $(SAN) -Iinclude $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN)
LIBS    = $(PKG_LIBS) -lm -pthread

BUILD   ?= build
ifeq ($(V),1)
Q :=
else
Q := @
endif

SRC      := $(wildcard src/*/*.c)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/sql_output.o
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEMO_GEN := $(BUILD)/tests/demo-gen
ITEST    := $(BUILD)/tests/itest_run

.PHONY: all deps demo check check-built asan asan-built valgrind lint clean distclean pg-stop

all: rapport

rapport: $(MAIN_OBJ) $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The output DDL is compiled into the engine, so a run can create its own
# output schema without the source tree.
$(BUILD)/gen/sql_output.c: sql/output.sql tests/sql2c.sh
	@mkdir -p $(dir $@)
	$(Q)sh tests/sql2c.sh rp_sql_output < $< > $@

$(BUILD)/gen/sql_output.o: $(BUILD)/gen/sql_output.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(OBJ)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka)

$(ITEST): tests/integration/test_run.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(shell pkg-config --libs libpq jansson cmocka) -lm

$(DEMO_GEN): tests/demo/gen.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	$(Q)$(CC) -std=c11 -D_DEFAULT_SOURCE $(CFLAGS) $(WARN) $(SAN) -o $@ $< -lm

deps:
	@sh tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory rapport $(DEMO_GEN)
	@sh tests/demo/run.sh

# Under CI (CI=true, as .ci/run sets) make check also runs the whole suite a
# second time built with AddressSanitizer + UBSan.
check: deps
	@$(MAKE) --no-print-directory rapport $(UNIT_BIN) $(ITEST) $(DEMO_GEN)
	@sh tests/check.sh
ifneq ($(filter true 1,$(CI)),)
	@echo "== the same suite under AddressSanitizer + UBSan (CI)"
	@$(MAKE) --no-print-directory asan-built
endif

# Sanitizer and valgrind builds live in their own build folders so they never
# mix objects with the normal build.
asan: deps asan-built
asan-built:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  check-built
valgrind: deps
	@$(MAKE) --no-print-directory BUILD=build-vg OPT=-O1 VALGRIND=1 check-built

# check without the deps step, for the sanitizer/valgrind variants.  The
# engine binary of the variant is build-*/rapport.
check-built:
	@$(MAKE) --no-print-directory $(BUILD)/rapport $(UNIT_BIN) $(ITEST) $(DEMO_GEN)
	@BUILD=$(BUILD) RAPPORT=$(BUILD)/rapport VALGRIND=$(VALGRIND) sh tests/check.sh

$(BUILD)/rapport: $(MAIN_OBJ) $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

lint:
	@sh tests/lint.sh

pg-stop:
	@sh tests/pgcluster.sh stop .pgdata

clean:
	rm -rf build build-asan build-vg rapport

distclean: clean pg-stop
	rm -rf out .pgdata

-include $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

# ---- fuzzing ----------------------------------------------------------------
#   make fuzz [FUZZ_SECONDS=60]   build the libFuzzer targets (clang, ASan +
#                                 UBSan) in build-fuzz/ and run each for
#                                 FUZZ_SECONDS on its seeds in tests/fuzz/
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := config rows reportdef
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE -DRP_FUZZ -O1 -g $(WARN) $(FUZZ_SAN) -Iinclude \
                $(PKG_CFLAGS) -MMD -MP
FUZZ_OBJ     := $(SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-build

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BIN)

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# An archive, so a target links only the objects it reaches.
$(FUZZ_BUILD)/librapport.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/librapport.a
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

-include $(FUZZ_OBJ:.o=.d)

# make bench: rapport against the floor (a COPY of what it reads) and the SQL
# peer, on the demo organisation at scales S and L in a cached throwaway
# cluster under out/bench/pg; prints a table, writes out/bench/results.json.
# Not part of make check; see tests/bench/README.md.
.PHONY: bench
bench: rapport $(DEMO_GEN)
	@sh tests/bench/run.sh
