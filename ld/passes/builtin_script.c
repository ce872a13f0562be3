/*
 * builtin_script.c — mini-ld's built-in layout, written as a linker script.
 *
 * layout.c and output_sections.c decide where a program's sections go without a
 * script. `mini-ld --verbose` prints the same decisions in the script language, as
 * GNU ld prints its default script: a reader sees the layout in one page, and
 * passing the text back with -T links the same program (for a static one; the
 * script has no dynamic sections, and no PT_GNU_RELRO: the built-in layout's RELRO
 * part is a segment of its own here, but nothing protects it).
 *
 * How the script mirrors the built-in rules:
 *   - output sections in layout.c's order, each collecting what the naming rules
 *     of output_sections.c send to it (.text.* into .text, .ctors into
 *     .init_array, COMMON into .bss, ...);
 *   - a new segment starts on the next page at the same offset in the page, the
 *     compact layout of layout.c: `. = ALIGN(MAXPAGESIZE) + (. & (MAXPAGESIZE - 1))`;
 *   - the names only the linker defines (_end, __bss_start, __init_array_start,
 *     __start_SEC, ...) are defined as without a script, so the script need not.
 *
 * Called by parse_args for --verbose; reads ctx->opt (relro); fills nothing.
 */
#include "../ld.h"

#include <stdio.h>

// Moves `.` to the next page, keeping its offset in the page: the next segment,
// if the sections `sizes` adds up are not all empty (an empty group of sections
// makes no segment in the built-in layout either).
#define NEXT_SEGMENT(sizes) \
  "  . = " sizes " ? ALIGN(CONSTANT(MAXPAGESIZE)) + (. & (CONSTANT(MAXPAGESIZE) - 1)) : .;\n"

void print_builtin_script(Ctx *ctx, FILE *out) {
  fputs(
    "/* mini-ld's built-in layout for a static program, as a linker script */\n"
    "OUTPUT_FORMAT(elf64-x86-64)\n"
    "OUTPUT_ARCH(i386:x86-64)\n"
    "ENTRY(_start)\n"
    "SECTIONS\n"
    "{\n"
    "  /* R: the ELF and program headers, notes, IFUNC relocations */\n"
    "  . = SEGMENT_START(\"text-segment\", 0x400000) + SIZEOF_HEADERS;\n"
    "  .interp : { *(.interp) }\n"
    "  .note.gnu.property : { *(.note.gnu.property) }\n"
    "  .note.gnu.build-id : { *(.note.gnu.build-id) }\n"
    "  .rela.iplt : { *(.rela.iplt) }\n"
    "  /* R X: code */\n"
    NEXT_SEGMENT("SIZEOF(.init) + SIZEOF(.plt) + SIZEOF(.text) + SIZEOF(.fini)")
    "  .init : { KEEP(*(.init)) }\n"
    "  .plt : { *(.plt) *(.iplt) }\n"
    "  .text : { *(.text .text.*) }\n"
    "  .fini : { KEEP(*(.fini)) }\n"
    "  /* R: constants, unwind tables */\n"
    NEXT_SEGMENT("SIZEOF(.rodata) + SIZEOF(.eh_frame_hdr) + SIZEOF(.eh_frame) +\n"
                 "      SIZEOF(.gcc_except_table) + SIZEOF(.lrodata)")
    "  .rodata : { *(.rodata .rodata.*) }\n"
    "  .eh_frame_hdr : { *(.eh_frame_hdr) }\n"
    "  .eh_frame : { KEEP(*(.eh_frame)) }\n"
    "  .gcc_except_table : { *(.gcc_except_table .gcc_except_table.*) }\n"
    "  .lrodata : { *(.lrodata .lrodata.*) }\n"
    "  /* R W: written at start-up only (RELRO): TLS templates, constructor tables, GOT */\n"
    NEXT_SEGMENT("SIZEOF(.tdata) + SIZEOF(.tbss) + SIZEOF(.preinit_array) +\n"
                 "      SIZEOF(.init_array) + SIZEOF(.fini_array) + SIZEOF(.data.rel.ro) + SIZEOF(.got)")
    "  .tdata : { *(.tdata .tdata.*) }\n"
    "  .tbss : { *(.tbss .tbss.*) }\n"
    "  .preinit_array : { KEEP(*(.preinit_array .preinit_array.*)) }\n"
    "  .init_array : {\n"
    "    KEEP(*(SORT_BY_INIT_PRIORITY(.init_array.*) SORT_BY_INIT_PRIORITY(.ctors.*)))\n"
    "    KEEP(*(.init_array .ctors))\n"
    "  }\n"
    "  .fini_array : {\n"
    "    KEEP(*(SORT_BY_INIT_PRIORITY(.fini_array.*) SORT_BY_INIT_PRIORITY(.dtors.*)))\n"
    "    KEEP(*(.fini_array .dtors))\n"
    "  }\n"
    "  .data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }\n"
    "  .got : { *(.got) }\n",
    out);
  // -z norelro: the RELRO sections share the data's segment.
  if (ctx->opt.relro)
    fputs("  /* R W: variables */\n"
          NEXT_SEGMENT("SIZEOF(.got.plt) + SIZEOF(.data) + SIZEOF(.ldata) + SIZEOF(.bss) +\n"
                       "      SIZEOF(.lbss)"), out);
  else
    fputs("  /* variables */\n", out);
  fputs(
    "  .got.plt : { *(.got.plt) }\n"
    "  .data : { *(.data .data.*) }\n"
    "  .ldata : { *(.ldata .ldata.*) }\n"
    "  .bss : { *(.bss .bss.*) *(COMMON) }\n"
    "  .lbss : { *(.lbss .lbss.*) }\n"
    "  /* not loaded: kept as they come (.comment, .debug_*, ...) */\n"
    "}\n",
    out);
}
