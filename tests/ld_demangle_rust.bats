#!/usr/bin/env bats
# Rust symbol names in messages, demangled as GNU ld 2.40 shows them (ld/model/
# demangle_rust_legacy.c): rustc's legacy mangling (_ZN...17h<hash>E), without the
# hash, which GNU ld leaves out too (c++filt, which is verbose, prints it). Each table
# row is a name and what GNU ld prints for it; every row is checked against mini-ld
# and against ld.bfd. A name cut short is shown as it is.

load helpers

# An object whose _start calls every name on stdin (one a line), none defined.
refs_object() {
  {
    printf '\t.text\n\t.globl _start\n_start:\n'
    while IFS= read -r name; do printf '\tcall "%s"\n' "$name"; done
  } | asm "$1"
}

# The names that the undefined-symbol errors for OBJ show, one a line, in order:
# WHO is "mini" for mini-ld, "gnu" for ld.bfd ("undefined reference to `NAME'").
shown_names() {
  local who=$1 obj=$2
  if [ "$who" = mini ]; then
    "$MINI_LD" "$obj" -o prog 2>&1 |
      sed -n "s/^mini-ld: $obj:(.text+0x[0-9a-f]*): undefined symbol '\(.*\)'\$/\1/p"
  else
    ld.bfd "$obj" -o prog.bfd 2>&1 | sed -n "s/.*undefined reference to \`\(.*\)'\$/\1/p"
  fi
}

# Checks a table on stdin ("NAME<tab>SHOWN" rows): mini-ld and ld.bfd must both show
# each NAME as SHOWN. Prints the rows that differ.
check_table() {
  local -a names expected mini gnu
  local name shown i bad=0
  while IFS=$'\t' read -r name shown; do
    names+=("$name")
    expected+=("$shown")
  done
  printf '%s\n' "${names[@]}" | refs_object refs
  mapfile -t mini < <(shown_names mini refs.o)
  mapfile -t gnu < <(shown_names gnu refs.o)
  for i in "${!names[@]}"; do
    if [ "${mini[i]-}" != "${expected[i]}" ] || [ "${gnu[i]-}" != "${expected[i]}" ]; then
      printf 'name:     %s\nexpected: %s\nmini-ld:  %s\nld.bfd:   %s\n' "${names[i]}" \
        "${expected[i]}" "${mini[i]-}" "${gnu[i]-}" >&2
      bad=1
    fi
  done
  [ "${#mini[@]}" -eq "${#names[@]}" ] && [ "$bad" -eq 0 ]
}

@test "ld: Rust legacy names in messages are demangled as GNU ld shows them, without the hash" {
  # Decided before C++: each is a valid C++ name too, which would keep its hash. The
  # hash must have 5 different digits or the name is C++ (0000011112222234 has 5);
  # an escape GNU ld does not know stops the unescaping ($uf6$ is not ASCII).
  check_table <<'EOF'
_ZN4core3fmt9Formatter3pad17h0123456789abcdefE	core::fmt::Formatter::pad
_ZN3lib7use_all28_$u7b$$u7b$closure$u7d$$u7d$17h5db461e3d5879b4aE	lib::use_all::{{closure}}
_ZN49_$LT$lib..Sq$LT$f64$GT$$u20$as$u20$lib..Shape$GT$4area17h7155b49b440cf696E	<lib::Sq<f64> as lib::Shape>::area
_ZN4core3num23_$LT$impl$u20$usize$GT$13unchecked_add18precondition_check17hd9dddb83514ecd76E	core::num::<impl usize>::unchecked_add::precondition_check
_ZN4core3ops8function6FnOnce40call_once$u7b$$u7b$vtable.shim$u7d$$u7d$17h8742ce384b2c94b6E	core::ops::function::FnOnce::call_once{{vtable.shim}}
_ZN4core3ptr177drop_in_place$LT$alloc..boxed..Box$LT$core..mem..maybe_uninit..MaybeUninit$LT$$u5b$alloc..boxed..Box$LT$dyn$u20$lib..Shape$u2b$core..marker..Send$GT$$u3b$$u20$1$u5d$$GT$$GT$$GT$17ha72b76a5f0dfbc84E	core::ptr::drop_in_place<alloc::boxed::Box<core::mem::maybe_uninit::MaybeUninit<[alloc::boxed::Box<dyn lib::Shape+core::marker::Send>; 1]>>>
_ZN4core3ptr69drop_in_place$LT$core..array..iter..IntoIter$LT$u32$C$2_usize$GT$$GT$17h04a3420fa419cb6aE	core::ptr::drop_in_place<core::array::iter::IntoIter<u32,2_usize>>
_ZN5alloc3vec16Vec$LT$T$C$A$GT$3len17h08d2ea908787b685E	alloc::vec::Vec<T,A>::len
_ZN82_$LT$core..array..iter..IntoIter$LT$T$C$_$GT$$u20$as$u20$core..ops..drop..Drop$GT$4drop17h45432ac36e51cd17E	<core::array::iter::IntoIter<T,_> as core::ops::drop::Drop>::drop
_ZN3lib13gr$uf6$$udf$e17h9cbf8211445ec6afE	lib::gr$uf6$$udf$e
_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE	core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>
_ZN3foo17h0123456789abcdefE.llvm.1234	foo
_ZN3foo17h0123456789abcdefE.cold	foo
_ZN3foo17h0000011112222234E	foo
_ZN11_$u20$x$C$y17h0123456789abcdefE	 x,y
_ZN5$SP$$17h0123456789abcdefE	@$
_ZN5$BP$$17h0123456789abcdefE	*$
_ZN4$RF$17h0123456789abcdefE	&
_ZN5$u7e$17h0123456789abcdefE	~
_ZN5$u4A$17h0123456789abcdefE	$u4A$
_ZN3a.b4c..d17h0123456789abcdefE	a.b::c::d
_ZN2_$17h0123456789abcdefE	$
_ZN1a2_b17h0123456789abcdefE	a::_b
EOF
  # Not Rust: 4 different digits (C++ reads it), or no E before the suffix.
  refs_object notrust <<'EOF'
_ZN3foo17h0000011111222223E
_ZN1a1b17h0123456789abcdef
EOF
  run -1 "$MINI_LD" notrust.o -o prog
  [ "${lines[0]}" = "mini-ld: notrust.o:(.text+0x1): undefined symbol 'foo::h0000011111222223'" ]
  [ "${lines[1]}" = "mini-ld: notrust.o:(.text+0x6): undefined symbol '_ZN1a1b17h0123456789abcdef'" ]
}

@test "ld: Rust names are demangled in every message, and --no-demangle keeps them mangled" {
  local pad=_ZN4core3fmt9Formatter3pad17h0123456789abcdefE
  printf '\t.globl %s\n%s:\n\tret\n' "$pad" "$pad" | asm d1
  cp d1.o d2.o
  echo '_ZN3lib11Sq$LT$T$GT$3get17hfbda995350689bb2E' | refs_object u
  run -1 "$MINI_LD" u.o d1.o d2.o -o prog
  [ "${lines[0]}" = "mini-ld: d2.o: duplicate symbol 'core::fmt::Formatter::pad' (first defined in d1.o)" ]
  run -1 "$MINI_LD" u.o d1.o -o prog
  [ "$output" = "mini-ld: u.o:(.text+0x1): undefined symbol 'lib::Sq<T>::get'" ]
  run -1 "$MINI_LD" --no-demangle u.o d1.o d2.o -o prog
  [ "${lines[0]}" = "mini-ld: d2.o: duplicate symbol '$pad' (first defined in d1.o)" ]
  run -1 "$MINI_LD" --no-demangle u.o d1.o -o prog
  [ "$output" = "mini-ld: u.o:(.text+0x1): undefined symbol '_ZN3lib11Sq\$LT\$T\$GT\$3get17hfbda995350689bb2E'" ]
}

@test "ld: a Rust name cut short at any byte reads as GNU ld shows it, or as it is" {
  # Every prefix of a name, and the name: only the whole name is Rust (a few prefixes
  # read as C++); ld.bfd must agree on each.
  local name i
  for name in '_ZN49_$LT$lib..Sq$LT$f64$GT$$u20$as$u20$lib..Shape$GT$4area17h7155b49b440cf696E'; do
    for ((i = 2; i <= ${#name}; i++)); do echo "${name:0:i}"; done
  done | awk '!seen[$0]++' >prefixes  # mini-ld lists a symbol's references together
  refs_object cut <prefixes
  mapfile -t mini < <(shown_names mini cut.o)
  mapfile -t gnu < <(shown_names gnu cut.o)
  [ "${#mini[@]}" -eq "$(wc -l <prefixes)" ]
  [ "${mini[*]}" = "${gnu[*]}" ]
}

@test "ld: extern \"C++\" in a version script matches Rust names demangled, as GNU ld does" {
  # GNU's demangler reads Rust names before C++ ones wherever ld demangles, so the
  # patterns of an extern "C++" block see them demangled too.
  local pad=_ZN4core3fmt9Formatter3pad17h0123456789abcdefE
  printf '\t.globl %s, other\n%s:\nother:\n\tret\n' "$pad" "$pad" | asm vs
  echo 'V1 { global: extern "C++" { "core::fmt::Formatter::pad"; }; local: *; };' >vs.map
  "$MINI_LD" -shared --version-script=vs.map vs.o -o vs.so
  ld.bfd -shared --version-script=vs.map vs.o -o vs.so.bfd
  [ "$(nm -D --defined-only vs.so | awk '$2 == "T" { print $3 }')" = "$pad@@V1" ]
  [ "$(nm -D --defined-only vs.so.bfd | awk '$2 == "T" { print $3 }')" = "$pad@@V1" ]
}
