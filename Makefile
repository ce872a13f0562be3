# mini-ld, mini-ar and mini-loader. `make` builds bin/, `make test` runs every bats
# suite, `make check` runs them again against a build with ASan and UBSan.

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -fPIE
# Threads need nothing extra at link time: gcc and clang compile the 4- and 8-byte
# atomics of common/ (diag.c, arena.c) to single instructions, so no -latomic, and
# since glibc 2.34 the pthread functions (output_file.c's lock) are in libc itself.
# `nm bin/mini-ld | grep __atomic_` finds nothing.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

COMMON_SRCS := $(wildcard common/*.c)
LD_SRCS := $(wildcard ld/*.c ld/*/*.c)
AR_SRCS := $(wildcard ar/*.c)
LOADER_SRCS := $(wildcard loader/*.c)
HEADERS := $(wildcard common/*.h ld/*.h ar/*.h loader/*.h)
# The loader is a static program: it has no use for compress.c, which dlopen()s the
# system's zlib and zstd.
LOADER_COMMON := $(filter-out common/compress.c,$(COMMON_SRCS))

# One line per build step ("  CC      ld/layout.c"), as the kernel's and git's builds
# print; `make V=1` shows the whole commands.
ifeq ($(V),1)
Q =
say = @:
else
Q = @
say = @printf '  %-7s %s\n'
endif

TOOLS := bin/mini-ld bin/ld $(if $(AR_SRCS),bin/mini-ar) $(if $(LOADER_SRCS),bin/mini-loader)
SAN_TOOLS := $(patsubst bin/%,build-san/bin/%,$(TOOLS))

all: $(TOOLS)

build/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

build-san/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC-SAN $<
	$(Q)$(CC) $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -c $< -o $@

bin/mini-ld: $(patsubst %.c,build/%.o,$(COMMON_SRCS) $(LD_SRCS))
	@mkdir -p bin
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^

# gcc -B bin/ runs bin/ld: the same program.
bin/ld: bin/mini-ld
	$(say) LN $@
	$(Q)ln -sf mini-ld $@

bin/mini-ar: $(patsubst %.c,build/%.o,$(COMMON_SRCS) $(AR_SRCS))
	@mkdir -p bin
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^

build-san/bin/mini-ar: $(patsubst %.c,build-san/%.o,$(COMMON_SRCS) $(AR_SRCS))
	@mkdir -p build-san/bin
	$(say) LINK $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^

# The loader is static-pie, so the kernel places it in the mmap area, clear of
# programs linked at 0x400000. Its sanitizer build is an ordinary PIE (ASan cannot
# be static); tests know it through MINI_SANITIZED=1.
bin/mini-loader: $(patsubst %.c,build/%.o,$(LOADER_COMMON) $(LOADER_SRCS))
	@mkdir -p bin
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -static-pie -o $@ $^

build-san/bin/mini-loader: $(patsubst %.c,build-san/%.o,$(LOADER_COMMON) $(LOADER_SRCS))
	@mkdir -p build-san/bin
	$(say) LINK $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^

build-san/bin/mini-ld: $(patsubst %.c,build-san/%.o,$(COMMON_SRCS) $(LD_SRCS))
	@mkdir -p build-san/bin
	$(say) LINK $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^

build-san/bin/ld: build-san/bin/mini-ld
	$(say) LN $@
	$(Q)ln -sf mini-ld $@

# mini-ld linking itself: the same objects, linked by bin/mini-ld (gcc -B bin/) into
# a dynamically linked PIE, as the system's ld links bin/mini-ld. tests/ld_self.bats
# runs link tests with it.
build/self/mini-ld: $(patsubst %.c,build/%.o,$(COMMON_SRCS) $(LD_SRCS)) bin/mini-ld bin/ld
	@mkdir -p build/self
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -B bin/ -o $@ $(filter %.o,$^)

self: build/self/mini-ld

test: all
	@tests/run

check: $(SAN_TOOLS)
	@MINI_BIN=$(CURDIR)/build-san/bin MINI_SANITIZED=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 tests/run

# examples/run builds the tools itself (step 0), one line per build step.
demo:
	@examples/run

# Coverage-guided fuzzing of the readers with libFuzzer (tests/fuzz/README.md): each
# harness for FUZZ_SECONDS (default 60); fails on any finding.
fuzz:
	@tests/fuzz/run.sh

# Link-time and memory comparison with ld.bfd, gold, lld and mold (tests/bench/README.md).
# Not part of `make test`: nothing fails for being slow.
bench: all
	@tests/bench/bench.sh

# `make install` copies the tools into $(PREFIX)/bin and their manual pages (man/,
# written by hand) into $(PREFIX)/share/man/man1, and adds two links: mini-ranlib
# (mini-ar run under that name behaves as ranlib) and $(PREFIX)/lib/mini-ld/ld, for
# `gcc -B $(PREFIX)/lib/mini-ld/`. gcc -B wants a program named ld; in a directory
# of its own it collides with nothing, where one in $(PREFIX)/bin would shadow the
# system's ld on PATH. The link is relative, so the tree works under DESTDIR too.
# DESTDIR stages everything elsewhere (for a package); FROM picks the build to
# install (tests install the one they test: FROM=build-san/bin under make check).
PREFIX = /usr/local
DESTDIR =
FROM = bin
INSTALL_BIN = $(DESTDIR)$(PREFIX)/bin
INSTALL_LIB = $(DESTDIR)$(PREFIX)/lib/mini-ld
INSTALL_MAN = $(DESTDIR)$(PREFIX)/share/man/man1
MAN_PAGES = man/mini-ld.1 man/mini-ar.1 man/mini-loader.1

install: $(FROM)/mini-ld $(FROM)/mini-ar $(FROM)/mini-loader $(MAN_PAGES)
	mkdir -p "$(INSTALL_BIN)" "$(INSTALL_LIB)" "$(INSTALL_MAN)"
	install -m 755 $(FROM)/mini-ld $(FROM)/mini-ar $(FROM)/mini-loader "$(INSTALL_BIN)"
	ln -sf mini-ar "$(INSTALL_BIN)/mini-ranlib"
	ln -sf ../../bin/mini-ld "$(INSTALL_LIB)/ld"
	install -m 644 $(MAN_PAGES) "$(INSTALL_MAN)"
	ln -sf mini-ar.1 "$(INSTALL_MAN)/mini-ranlib.1"

# Removes what install put there and nothing else: the directories bin/ and
# share/man/man1/ are shared with other programs, and stay; lib/mini-ld/ is ours,
# and rmdir (unlike rm -r) refuses to remove it if someone put a file there.
uninstall:
	rm -f "$(INSTALL_BIN)/mini-ld" "$(INSTALL_BIN)/mini-ar" "$(INSTALL_BIN)/mini-loader"
	rm -f "$(INSTALL_BIN)/mini-ranlib" "$(INSTALL_LIB)/ld"
	rm -f "$(INSTALL_MAN)/mini-ld.1" "$(INSTALL_MAN)/mini-ar.1" "$(INSTALL_MAN)/mini-loader.1"
	rm -f "$(INSTALL_MAN)/mini-ranlib.1"
	if [ -d "$(INSTALL_LIB)" ]; then rmdir "$(INSTALL_LIB)"; fi

clean:
	rm -rf build build-san build-fuzz bin

.PHONY: all self test check demo bench fuzz install uninstall clean
