# wrench - offline-first maintenance client.  GNU make.
#
#   make            build ./wrench
#   make check      build and run every test (binds, unit, CLI, terminal UI)
#   make asan       the tests under AddressSanitizer + UBSan
#   make valgrind   the unit tests under valgrind
#   make bench      benchmarks (print their figures)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1

CC      ?= cc
PKGS     = ncursesw sqlite3 libcurl libcjson
# ncursesw's flags carry their own -D_XOPEN_SOURCE/-D_DEFAULT_SOURCE; ours win.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS)))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lcsv -lm -pthread
CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)

WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT    ?= -O2 -g
CFLAGS ?=
# CI builds warning-free or not at all.
ifeq ($(CI),true)
WERROR = -Werror
endif
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE $(OPT) $(WARN) $(WERROR) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS ?=

BUILD  ?= build
LIB_SRC  = $(wildcard store/*.c predict/*.c sync/*.c tui/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      = $(BUILD)/libwrench.a
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPERS = $(wildcard tests/helpers/*.c)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all check check-binds central-tests unit-tests shell-tests tui-tests asan valgrind bench install uninstall clean
all: wrench wrench-central

$(BUILD)/%.o: %.c $(wildcard include/*.h) $(wildcard store/*.h tui/*.h predict/*.h sync/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

wrench: $(BUILD)/cli/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_HELPERS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(TEST_HELPERS) $(LIB) $(CHECK_LIBS) $(PKG_LIBS) -lutil

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lutil

# Unit tests run with CK_FORK=no under the sanitizers and valgrind so that
# reports come from the test process itself.
unit-tests: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; WRENCH_SRC=$(CURDIR) $(TEST_ENV) $$t; done

shell-tests: wrench
	@set -e; for t in $(filter-out tests/cli/lib.sh,$(wildcard tests/cli/*.sh)); do echo "== $$t"; WRENCH=$(CURDIR)/wrench WRENCH_SRC=$(CURDIR) bash $$t; done

tui-tests: wrench
	@WRENCH=$(CURDIR)/wrench WRENCH_SRC=$(CURDIR) bash tests/tui/run.sh

# Every SQLite bind in the tree is checked (store/internal.h says how).
check-binds:
	@WRENCH_SRC=$(CURDIR) bash tests/lint/binds.sh

check: wrench check-binds unit-tests shell-tests tui-tests central-tests
	@echo "all tests passed"

# ---- wrench-central: the plant's sync server (central/, PostgreSQL) ----------
# It shares the plain C of store/util.c (dates, UUIDs, strings) and
# store/enums.c (the work-order state machine), and never any SQLite code.
CENTRAL_PKGS    = libpq libmicrohttpd libsodium zlib libcjson
CENTRAL_CFLAGS := $(shell pkg-config --cflags $(CENTRAL_PKGS) 2>/dev/null)
CENTRAL_LIBS   := $(shell pkg-config --libs $(CENTRAL_PKGS) 2>/dev/null) -lm -pthread
CENTRAL_SRC     = $(wildcard central/*.c) store/util.c store/enums.c
CENTRAL_OBJ     = $(CENTRAL_SRC:%.c=$(BUILD)/central-obj/%.o)

$(BUILD)/central-obj/%.o: %.c $(wildcard include/*.h central/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CENTRAL_CFLAGS) -c $< -o $@

wrench-central: $(CENTRAL_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CENTRAL_LIBS)

# Needs PostgreSQL's server binaries (initdb, pg_ctl): it fails, never skips.
central-tests: wrench-central
	@WRENCH_CENTRAL=$(CURDIR)/wrench-central bash tests/central/run.sh

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" TEST_ENV="CK_FORK=no ASAN_OPTIONS=detect_leaks=1" unit-tests

valgrind: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== valgrind $$t"; CK_FORK=no WRENCH_SRC=$(CURDIR) valgrind -q --error-exitcode=9 --child-silent-after-fork=yes --leak-check=full --errors-for-leak-kinds=definite $$t; done

bench: wrench wrench-central $(BENCH_BIN)
	@bash bench/run.sh

install: wrench wrench-central
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 wrench $(DESTDIR)$(BINDIR)/wrench
	install -m 644 assets/wrench.1 $(DESTDIR)$(MANDIR)/wrench.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wrench $(DESTDIR)$(MANDIR)/wrench.1

clean:
	rm -rf build build-asan wrench wrench-central
