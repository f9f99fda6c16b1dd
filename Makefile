# wrench - offline-first maintenance client.  GNU make.
#
#   make            build ./wrench
#   make check      build and run every test (bind lint, unit, CLI, terminal UI, central server)
#   make asan       the unit and CLI tests under AddressSanitizer + UBSan
#   make valgrind   the unit and CLI tests under valgrind
#   make bench      benchmarks (print their figures)
#   make fuzz       libFuzzer harnesses, a minute each (needs clang)
#   make install    PREFIX=/usr/local DESTDIR= (binaries, man page, bash and zsh completion)

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions

CC      ?= cc
PKGS     = ncursesw sqlite3 libcurl libcjson zlib
# ncursesw's flags carry their own -D_XOPEN_SOURCE/-D_DEFAULT_SOURCE; ours win.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS)))
# libcurl is not linked: sync/curl_api.c loads it when a sync starts (its
# thirty libraries cost every command 10 ms at start).  Its headers are used.
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -lcsv -lm -pthread -ldl
CURL_LIBS  := $(shell pkg-config --libs libcurl)
CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)

# `struct wr_err e = {0, ""}` zeroes the fields it does not name, on purpose.
WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wno-missing-field-initializers
OPT    ?= -O2 -g
CFLAGS ?=
# CI builds warning-free or not at all.
ifeq ($(CI),true)
WERROR = -Werror
endif
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE $(OPT) $(WARN) $(WERROR) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS ?=

BUILD  ?= build
# The binary the CLI and terminal tests run (make asan builds its own).
WRENCH_BIN ?= wrench
LIB_SRC  = $(wildcard store/*.c predict/*.c sync/*.c tui/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      = $(BUILD)/libwrench.a
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPERS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/helpers/*.c))
# Drives the sync transport against a real wrench-central (tests/central).
SYNC_DRIVE = $(BUILD)/tests/tools/sync_drive
# Settles a device's outbox as a server would, without one (tests/tui).
SYNC_SETTLE = $(BUILD)/tests/tools/sync_settle
# A loopback proxy that cuts, delays, throttles and damages HTTP on purpose
# (the sync fault tests and bench/sync.sh); plain C, no library.
FAULTPROXY = $(BUILD)/tests/tools/faultproxy
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# Every object has a dependency file naming the headers it includes, so a
# header change rebuilds exactly the objects that include it.
DEPS = $(patsubst %.o,%.d,$(LIB_OBJ) $(BUILD)/cli/main.o $(TEST_BIN:=.o) $(TEST_HELPERS) $(BENCH_BIN:=.o) $(SYNC_DRIVE).o $(SYNC_SETTLE).o $(FAULTPROXY).o)

.PHONY: all check check-binds central-tests unit-tests shell-tests tui-tests asan san-tests valgrind bench install uninstall clean \
	install-completion uninstall-completion
all: wrench wrench-central

# An object without its dependency file (built before there were any) is
# rebuilt too: the empty rule below lets a missing one count as changed.
$(BUILD)/%.o: %.c $(BUILD)/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%.o: EXTRA_CFLAGS = $(CHECK_CFLAGS) -Itests

$(DEPS):
-include $(DEPS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(WRENCH_BIN): $(BUILD)/cli/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(TEST_BIN): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPERS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -lutil

# This test makes wrench's own allocations fail one by one.
$(BUILD)/tests/test_tui_asset_tree_oom: TEST_LDFLAGS = -Wl,--wrap=realloc

$(SYNC_DRIVE) $(SYNC_SETTLE): %: %.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(FAULTPROXY): $(FAULTPROXY).o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

$(BENCH_BIN): $(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CURL_LIBS) -lutil

# Each suite runs every test binary or script, even after a failure, and
# ends with the line "N passed, M failed"; check sums the three suites.
TEST_ENV_ALL = WRENCH=$(abspath $(WRENCH_BIN)) WRENCH_CENTRAL=$(CURDIR)/wrench-central WRENCH_SRC=$(CURDIR) \
	SYNC_DRIVE=$(abspath $(SYNC_DRIVE)) SYNC_SETTLE=$(abspath $(SYNC_SETTLE)) FAULTPROXY=$(abspath $(FAULTPROXY)) $(TEST_ENV)

unit-tests: $(TEST_BIN)
	@$(TEST_ENV_ALL) bash tests/check.sh unit $(TEST_BIN)

shell-tests: $(WRENCH_BIN)
	@$(TEST_ENV_ALL) bash tests/check.sh cli

tui-tests: $(WRENCH_BIN) $(SYNC_SETTLE)
	@$(TEST_ENV_ALL) bash tests/check.sh tui

# Every SQLite bind in the tree is checked (store/internal.h says how).
check-binds:
	@WRENCH_SRC=$(CURDIR) bash tests/check.sh binds

# Needs PostgreSQL's server binaries (initdb, pg_ctl): it fails, never skips.
central-tests: $(WRENCH_BIN) wrench-central $(SYNC_DRIVE) $(SYNC_SETTLE) $(FAULTPROXY)
	@$(TEST_ENV_ALL) bash tests/check.sh central

check: $(WRENCH_BIN) wrench-central $(TEST_BIN) $(SYNC_DRIVE) $(SYNC_SETTLE) $(FAULTPROXY)
	@$(TEST_ENV_ALL) bash tests/check.sh binds,unit,cli,tui,central $(TEST_BIN)

# ---- wrench-central: the plant's sync server (central/, PostgreSQL) ----------
# It shares the plain C of store/util.c (dates, UUIDs, strings) and
# store/enums.c (the work-order state machine), and never any SQLite code.
CENTRAL_PKGS    = libpq libmicrohttpd libsodium zlib libcjson
CENTRAL_CFLAGS := $(shell pkg-config --cflags $(CENTRAL_PKGS) 2>/dev/null)
CENTRAL_LIBS   := $(shell pkg-config --libs $(CENTRAL_PKGS) 2>/dev/null) -lm -pthread
CENTRAL_SRC     = $(wildcard central/*.c) store/util.c store/enums.c
CENTRAL_OBJ     = $(CENTRAL_SRC:%.c=$(BUILD)/central-obj/%.o)
CENTRAL_DEPS    = $(CENTRAL_OBJ:.o=.d)

# As for the client's objects: a missing dependency file counts as changed.
$(CENTRAL_DEPS):
-include $(CENTRAL_DEPS)

$(BUILD)/central-obj/%.o: %.c $(BUILD)/central-obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CENTRAL_CFLAGS) -MMD -MP -c $< -o $@

wrench-central: $(CENTRAL_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CENTRAL_LIBS)

# Under the sanitizers and valgrind the unit tests run with CK_FORK=no so
# that reports come from the test process itself.  Reports are written to
# files in REPORTS, which tests/check.sh requires to be empty at the end;
# exit status 97 also fails the command that had the error.
SAN_BUILD = build-asan
REPORTS = $(CURDIR)/$(BUILD)/reports
asan:
	$(MAKE) BUILD=$(SAN_BUILD) WRENCH_BIN=$(SAN_BUILD)/wrench \
		OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" san-tests

san-tests: $(WRENCH_BIN) $(TEST_BIN)
	@$(TEST_ENV_ALL) CK_FORK=no REPORT_DIR=$(REPORTS) \
		ASAN_OPTIONS=detect_leaks=1:exitcode=97:log_path=$(REPORTS)/asan \
		UBSAN_OPTIONS=print_stacktrace=1:exitcode=97:log_path=$(REPORTS)/ubsan \
		bash tests/check.sh unit,cli $(TEST_BIN)

VALGRIND = valgrind -q --error-exitcode=97 --child-silent-after-fork=yes --leak-check=full \
	--errors-for-leak-kinds=definite --log-file=$(REPORTS)/valgrind.%p
valgrind: $(WRENCH_BIN) $(TEST_BIN)
	@WRENCH=$(CURDIR)/tests/valgrind-wrench WRENCH_REAL=$(abspath $(WRENCH_BIN)) \
		WRENCH_SRC=$(CURDIR) CK_FORK=no REPORT_DIR=$(REPORTS) VALGRIND="$(VALGRIND)" \
		UNIT_WRAPPER="$(VALGRIND)" bash tests/check.sh unit,cli $(TEST_BIN)

bench: $(WRENCH_BIN) wrench-central $(BENCH_BIN) $(FAULTPROXY)
	@bash bench/run.sh

# ------------------------------------------------------------------ fuzzing
# make fuzz [FUZZ_SECONDS=60] [FUZZ_CC=clang]: every tests/fuzz/fuzz_NAME.c is
# a libFuzzer harness (a new file is a new harness), built with clang,
# ASan and UBSan in its own build folder and run for FUZZ_SECONDS, one after
# the other, from the seeds in tests/fuzz/corpus/NAME/ (tests/fuzz/run.sh).
# Needs clang and its runtime libraries (Debian 12: clang libclang-rt-14-dev).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD    = build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC      = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_HELPERS  = $(wildcard tests/fuzz/lib/*.c)

.PHONY: fuzz fuzz-bins clean-fuzz
fuzz:
	@bash tests/fuzz/run.sh toolchain $(FUZZ_CC)
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-bins
	@bash tests/fuzz/run.sh run $(FUZZ_SECONDS) $(FUZZ_SRC:tests/%.c=$(FUZZ_BUILD)/%)

fuzz-bins: $(FUZZ_SRC:tests/%.c=$(BUILD)/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_HELPERS) $(wildcard tests/fuzz/lib/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz/lib -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(FUZZ_HELPERS) $(LIB) $(PKG_LIBS)

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)

install: wrench wrench-central
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 wrench $(DESTDIR)$(BINDIR)/wrench
	install -m 755 wrench-central $(DESTDIR)$(BINDIR)/wrench-central
	install -m 644 assets/wrench.1 $(DESTDIR)$(MANDIR)/wrench.1
	$(MAKE) install-completion

# The completion scripts ask wrench for its words: nothing to build.
install-completion:
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 assets/completion/wrench.bash $(DESTDIR)$(BASHCOMPDIR)/wrench
	install -m 644 assets/completion/_wrench $(DESTDIR)$(ZSHCOMPDIR)/_wrench

uninstall: uninstall-completion
	rm -f $(DESTDIR)$(BINDIR)/wrench $(DESTDIR)$(BINDIR)/wrench-central $(DESTDIR)$(MANDIR)/wrench.1

uninstall-completion:
	rm -f $(DESTDIR)$(BASHCOMPDIR)/wrench $(DESTDIR)$(ZSHCOMPDIR)/_wrench

clean:
	rm -rf build build-asan wrench wrench-central
