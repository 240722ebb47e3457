# natlog - hand-written Makefile. `make` builds ./natlog, `make check` runs
# every test, `make check-asan` runs them under ASan+UBSan, `make lab`
# re-records the real-kernel test data (root), `make demo` explains the
# bundled sample.

CC      ?= cc
PKGS    := libpcre2-8 sqlite3 jansson yajl libarchive libcrypto libpcap
# loaded by src/dynlib.c when an import needs them, not linked: the
# sonames of the libraries the headers belong to
DL_PKGS := libarchive libpcap libcrypto
soname   = $(shell objdump -p $$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(1).so 2>/dev/null | \
	     awk '/SONAME/ { print $$2 }')
CFLAGS  ?= -O2 -g
NL_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral \
           -Wstrict-prototypes -Wmissing-prototypes -Isrc -Iparsers \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs $(filter-out $(DL_PKGS),$(PKGS)) 2>/dev/null) -pthread -ldl
NL_CFLAGS += $(if $(call soname,libarchive),-DNL_ARCHIVE_SO='"$(strip $(call soname,libarchive))"') \
             $(if $(call soname,libpcap),-DNL_PCAP_SO='"$(strip $(call soname,libpcap))"') \
             $(if $(call soname,libcrypto),-DNL_CRYPTO_SO='"$(strip $(call soname,libcrypto))"')
BUILD   ?= build
BIN     ?= natlog

LIB_SRC := $(wildcard src/*.c) $(wildcard parsers/*.c)
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/schema.o
SCHEMA  := $(sort $(wildcard schema/*.sql)) $(sort $(wildcard schema/ondemand/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(BUILD)/image.o $(BUILD)/libnatlog.a
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ $^ $(NL_LIBS) $(LDLIBS)

$(BUILD)/libnatlog.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c src/natlog.h $(wildcard src/*.h) parsers/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -c -o $@ $<

# The schema files become one C array; they stay the only definition.
# schema.list changes when a file is added or removed, not only edited
$(BUILD)/schema.list: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SCHEMA)' | cmp -s - $@ || echo '$(SCHEMA)' > $@

$(BUILD)/schema.c: $(SCHEMA) $(BUILD)/schema.list tests/embed-schema.sh
	sh tests/embed-schema.sh $(SCHEMA) > $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	$(CC) $(CFLAGS) $(NL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# A new store's image, made from the schema files by running them
# (tests/mkimage.c): natlog copies it into a new store instead of
# migrating; programs linked without it migrate.
$(BUILD)/mkimage: tests/mkimage.c $(BUILD)/libnatlog.a
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnatlog.a $(NL_LIBS) $(LDLIBS)

$(BUILD)/image.c: $(BUILD)/mkimage
	./$(BUILD)/mkimage > $@.tmp
	mv $@.tmp $@

$(BUILD)/image.o: $(BUILD)/image.c
	$(CC) $(CFLAGS) $(NL_CFLAGS) -Wno-missing-prototypes -Wno-missing-variable-declarations -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libnatlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(BUILD)/libnatlog.a $(NL_LIBS) $(LDLIBS)

unit: $(UNIT_BIN)

check: $(BIN) unit
	BUILD=$(BUILD) NATLOG=$(CURDIR)/$(BIN) sh tests/run.sh

# The whole suite again under AddressSanitizer (with LeakSanitizer) and UBSan.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	$(MAKE) BUILD=build-asan BIN=natlog-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

# The suite with ThreadSanitizer: a kernel log is parsed in one thread and
# stored in another (src/relay.c), and packets are analysed by two.
TSAN_FLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
check-tsan:
	$(MAKE) BUILD=build-tsan BIN=natlog-tsan CC=clang CFLAGS="$(TSAN_FLAGS)" LDFLAGS="-fsanitize=thread" check

demo: natlog
	sh demo.sh

lab:
	bash tests/lab/record-all.sh testdata/lab

PREFIX  ?= /usr/local
DESTDIR ?=
install:
	@test -x $(BIN) || { echo "run make first"; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/natlog
	install -m 644 doc/natlog.1 $(DESTDIR)$(PREFIX)/share/man/man1/natlog.1
	install -m 644 completion/natlog.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/natlog

clean:
	rm -rf build build-asan build-tsan natlog natlog-asan natlog-tsan

FORCE:

.PHONY: FORCE all unit check check-asan check-tsan demo lab clean install

# Fuzzing (tests/fuzz/): one libFuzzer harness per input format of
# nl_parsers[], one for the import loop (fuzz_ingest: blocks, line ends,
# decoders, archives) and one for the whole pipeline. `make fuzz` builds them with
# clang into build-fuzz/ and runs each for FUZZ_SECONDS on its corpus in
# build-fuzz/corpus/<name> (seeded from testdata/ by tests/fuzz/seeds.sh);
# `make fuzz-smoke` is the 15-second run for CI, from the seeds alone. A
# crash input found is kept in testdata/fuzz/<name>/ and replayed by `make
# check` through $(BUILD)/fuzz/replay-<name>, a plain build of the harness
# (replay.c), so it runs under check-asan too.
#
# Long runs: `make fuzz FUZZ_SANITIZE=undefined FUZZ_RUNS=10000000` explores
# several times faster without ASan (its own build-fuzz-undefined/, same
# corpus); `make fuzz-recheck` then runs every corpus input once through the
# ASan+UBSan build, so what the fast run found is checked for memory errors
# too.
comma        := ,
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= -1
FUZZ_CC      ?= clang
FUZZ_SANITIZE ?= address,undefined
FUZZ_DIR     := build-fuzz$(if $(filter address%,$(FUZZ_SANITIZE)),,-$(subst $(comma),-,$(FUZZ_SANITIZE)))
# (small inputs reach what large ones do: a listing's rules kept in a file)
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=$(FUZZ_SANITIZE) \
                -fno-sanitize-recover=all -DNL_IPTLIST_SPILL_AT=4
FUZZ_RUNFLAGS ?= -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_CORPUS  ?= build-fuzz/corpus

$(BUILD)/fuzz/replay-%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzzstore.h \
			$(BUILD)/libnatlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -Itests/fuzz -o $@ tests/fuzz/replay.c \
		tests/fuzz/fuzz_$*.c $(BUILD)/libnatlog.a $(NL_LIBS) $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzzstore.h $(BUILD)/libnatlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(NL_CFLAGS) $(LDFLAGS) -Itests/fuzz -o $@ $< \
		$(BUILD)/libnatlog.a $(NL_LIBS) $(LDLIBS)

fuzz-replay: $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_NAMES))

# the replays are part of every check build (plain and ASan)
check: fuzz-replay

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
		LDFLAGS="-fsanitize=$(FUZZ_SANITIZE)" \
		$(patsubst %,$(FUZZ_DIR)/fuzz/fuzz_%,$(FUZZ_NAMES))
	@for h in $(FUZZ_NAMES); do ln -sf fuzz/fuzz_$$h $(FUZZ_DIR)/fuzz_$$h; done

fuzz: fuzz-build
	@failed=""; rm -f $(FUZZ_DIR)/failures.txt; \
	for h in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_CORPUS)/$$h $(FUZZ_DIR)/artifacts/$$h; \
		sh tests/fuzz/seeds.sh $$h $(FUZZ_CORPUS)/$$h || exit 1; \
		echo "fuzz: $$h for $(FUZZ_SECONDS) s ($(FUZZ_DIR)/$$h.log)"; \
		if ./$(FUZZ_DIR)/fuzz_$$h $(FUZZ_RUNFLAGS) -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) \
			-artifact_prefix=$(FUZZ_DIR)/artifacts/$$h/ $(FUZZ_CORPUS)/$$h \
			> $(FUZZ_DIR)/$$h.log 2>&1; then \
			sed -n 's/^stat::number_of_executed_units: */fuzz: '$$h' ok, executions: /p' \
				$(FUZZ_DIR)/$$h.log; \
		else \
			failed="$$failed $$h"; \
			echo "fuzz: $$h FAILED; the input is in $(FUZZ_DIR)/artifacts/$$h/:"; \
			sh tests/fuzz/failure.sh $$h $(FUZZ_DIR)/$$h.log >> $(FUZZ_DIR)/failures.txt; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then \
		cat $(FUZZ_DIR)/failures.txt; \
		echo "fuzz: failed:$$failed (keep each input in testdata/fuzz/<name>/ once fixed)"; exit 1; \
	fi

# from the seeds alone, so the run stays short however large corpus/ grew;
# a fixed seed, so CI explores the same inputs every time
fuzz-smoke:
	rm -rf $(FUZZ_DIR)/smoke-corpus
	$(MAKE) fuzz FUZZ_SECONDS=15 FUZZ_CORPUS=$(FUZZ_DIR)/smoke-corpus \
		FUZZ_RUNFLAGS="$(FUZZ_RUNFLAGS) -seed=1"

# every input of every corpus once through the ASan+UBSan build
fuzz-recheck:
	$(MAKE) fuzz-build FUZZ_SANITIZE=address,undefined
	@for h in $(FUZZ_NAMES); do \
		mkdir -p build-fuzz/artifacts/$$h; \
		./build-fuzz/fuzz_$$h $(FUZZ_RUNFLAGS) -runs=0 -artifact_prefix=build-fuzz/artifacts/$$h/ \
			$(FUZZ_CORPUS)/$$h > build-fuzz/$$h.recheck.log 2>&1 || \
			{ echo "fuzz-recheck: $$h FAILED (build-fuzz/$$h.recheck.log)"; exit 1; }; \
		echo "fuzz-recheck: $$h ok, $$(ls $(FUZZ_CORPUS)/$$h | wc -l) inputs"; \
	done

# Static checks: cppcheck and clang-tidy (.clang-tidy) over the project's
# own code; any finding fails. clang-tidy runs once per file (`make -j2
# lint` runs two at a time): clang-tidy 14 given several files carries
# analyzer state from one to the next (bogus valist.Uninitialized).
LINT_SRC  := $(wildcard src/*.c) $(wildcard parsers/*.c)
LINT_JOBS ?= 2
lint: lint-cppcheck $(patsubst %,lint-tidy/%,$(LINT_SRC))

lint-cppcheck:
	cppcheck --enable=warning,portability,performance --error-exitcode=1 --inline-suppr \
		--std=c11 --quiet -j $(LINT_JOBS) -D_GNU_SOURCE -Isrc -Iparsers src parsers

lint-tidy/%: %
	clang-tidy --quiet $< -- $(NL_CFLAGS)

fuzz-clean:
	rm -rf build-fuzz build-fuzz-*

.PHONY: fuzz fuzz-build fuzz-recheck fuzz-smoke fuzz-replay fuzz-clean lint lint-cppcheck

# Benchmark (tests/bench/): generates large realistic inputs (cached in
# build-bench/), times natlog import against lnav, grep, wc and tcpdump on
# the same files, and explain latency; prints a table, never fails on timing.
# `make bench BENCH_MB=1000` for the 1 GB syslog; `make bench
# BENCH_EXPLAIN_EVENTS=5000000` also times the queries on a 5 M-event store.
# BENCH_BUSY=1 (the default) adds a busy node's syslog, nearly all TRACE lines.
BENCH_MB ?= 200
BENCH_EXPLAIN_EVENTS ?=
BENCH_BUSY ?= 1
bench: $(BIN)
	NATLOG=$(CURDIR)/$(BIN) sh tests/bench/bench.sh --size-mb $(BENCH_MB) \
		$(if $(filter-out 0,$(BENCH_BUSY)),--busy) \
		$(if $(BENCH_EXPLAIN_EVENTS),--explain-events $(BENCH_EXPLAIN_EVENTS))

bench-clean:
	rm -rf build-bench

.PHONY: bench bench-clean
