#!/usr/bin/env bats
# Rust symbol names in messages, demangled as GNU ld 2.40 shows them (ld/model/
# demangle_rust.c, demangle_rust_legacy.c, punycode.c): both of rustc's manglings,
# v0 (_R...) and legacy (_ZN...17h<hash>E), without the hashes, which GNU ld leaves
# out too (c++filt, which is verbose, prints them). Each table row is a name and what
# GNU ld prints for it; every row is checked against mini-ld and against ld.bfd.
# Names that are cut short, loop or nest without end are shown as they are.

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

# The base-62 number of a v0 back-reference to offset N: "_" is 0, "0_" is 1, ...
base62() {
  local n=$1 digits=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ s=
  if [ "$n" -eq 0 ]; then echo _; return; fi
  n=$((n - 1))
  while :; do
    s=${digits:n % 62:1}$s
    n=$((n / 62))
    [ "$n" -gt 0 ] || break
  done
  echo "${s}_"
}

@test "ld: Rust v0 names in messages are demangled as GNU ld shows them, without crate hashes" {
  # rustc 1.95's own names (-C symbol-mangling-version=v0), then names written by hand
  # from RFC 2603's grammar for what a small program does not make: every basic type,
  # references with lifetimes, for<'a> binders, fn pointers with an ABI, dyn with
  # associated types, arrays, tuples, constants of each kind (GNU ld writes a u64
  # past 16 digits in hex, oddly cut), namespaces Rust does not know, punycode, and
  # an LLVM suffix.
  check_table <<'EOF'
_RNvCsh537bOAIRKx_3lib7use_all	lib::use_all
_RNvNtCsgEmfK2I1SDS_4core9panicking18panic_nounwind_fmt	core::panicking::panic_nounwind_fmt
_RNvNvCsh537bOAIRKx_3lib7use_all1q	lib::use_all::q
_RNCNvCsh537bOAIRKx_3lib7use_alls_0B3_	lib::use_all::{closure#1}
_RNvCsh537bOAIRKx_3libu9gre_6ka8i	lib::größe
_RNvMs_Csh537bOAIRKx_3libINtB4_2SqmE3getB4_	<lib::Sq<u32>>::get
_RNvXCsh537bOAIRKx_3libINtB2_2SqdENtB2_5Shape4area	<lib::Sq<f64> as lib::Shape>::area
_RNvYNCNvCsh537bOAIRKx_3lib7use_all0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceTRhEE9call_onceB6_	<lib::use_all::{closure#0} as core::ops::function::FnOnce<(&u8,)>>::call_once
_RNSNvYNCNvCsh537bOAIRKx_3lib7use_all0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceTRhEE9call_once6vtableB8_	<lib::use_all::{closure#0} as core::ops::function::FnOnce<(&u8,)>>::call_once::{shim:vtable#0}
_RINvNtCsgEmfK2I1SDS_4core3ptr13drop_in_placeINtNtCslNYArtu3iFV_5alloc5boxed3BoxINtNtNtB4_3mem12maybe_uninit11MaybeUninitAIBH_DNtCsh537bOAIRKx_3lib5ShapeNtNtB4_6marker4SendEL_Ej1_EEEB22_	core::ptr::drop_in_place::<alloc::boxed::Box<core::mem::maybe_uninit::MaybeUninit<[alloc::boxed::Box<dyn lib::Shape + core::marker::Send>; 1]>>>
_RINvNtCsgEmfK2I1SDS_4core3ptr13drop_in_placeSINtNtCslNYArtu3iFV_5alloc5boxed3BoxDNtCsh537bOAIRKx_3lib5ShapeNtNtB4_6marker4SendEL_EEB1j_	core::ptr::drop_in_place::<[alloc::boxed::Box<dyn lib::Shape + core::marker::Send>]>
_RINvXs2_NtNtCsgEmfK2I1SDS_4core5array4iterINtB6_8IntoItermKj2_ENtNtNtNtBa_4iter6traits8iterator8Iterator4foldmNCINvXsy_NtB13_5accummNtB1T_3Sum3sumBE_E0ECsh537bOAIRKx_3lib	<core::array::iter::IntoIter<u32, 2> as core::iter::traits::iterator::Iterator>::fold::<u32, <u32 as core::iter::traits::accum::Sum>::sum<core::array::iter::IntoIter<u32, 2>>::{closure#0}>
_RNvNvMs1_NtNtCsgEmfK2I1SDS_4core3ptr8non_nullINtB7_7NonNullpE13new_unchecked18precondition_checkCsh537bOAIRKx_3lib	<core::ptr::non_null::NonNull<_>>::new_unchecked::precondition_check
_RNvNvXs0_NtNtCsgEmfK2I1SDS_4core5slice5indexjINtB7_10SliceIndexSpE13get_unchecked18precondition_checkCsh537bOAIRKx_3lib	<usize as core::slice::index::SliceIndex<[_]>>::get_unchecked::precondition_check
_RNvXs2_NtNtCsgEmfK2I1SDS_4core3ops9try_traitINtB5_17NeverShortCircuitmEINtB5_12FromResidualNtB5_25NeverShortCircuitResidualE13from_residualCsh537bOAIRKx_3lib	<core::ops::try_trait::NeverShortCircuit<u32> as core::ops::try_trait::FromResidual<core::ops::try_trait::NeverShortCircuitResidual>>::from_residual
_RINvCsh537bOAIRKx_3lib2boKb1_EB2_	lib::bo::<true>
_RINvCsh537bOAIRKx_3lib2chKca_EB2_	lib::ch::<'\n'>
_RINvCsh537bOAIRKx_3lib2chKcfc_EB2_	lib::ch::<'\u{fc}'>
_RINvCsh537bOAIRKx_3lib3negKln5_EB2_	lib::neg::<-5>
_RINvC1a1fhtmyojasxnilbcdefuvzpE	a::f::<u8, u16, u32, u64, u128, usize, i8, i16, i64, i128, isize, i32, bool, char, f64, str, f32, (), ..., !, _>
_RINvC1a1fRhQhRL_hPhOhE	a::f::<&u8, &mut u8, &u8, *const u8, *mut u8>
_RINvC1a1fFG_RL0_hEhE	a::f::<for<'a> fn(&'a u8) -> u8>
_RINvC1a1fFG0_RL1_hRL0_hEuE	a::f::<for<'a, 'b> fn(&'a u8, &'b u8)>
_RINvC1a1fFG1_RL2_hRL0_hFG_RL0_RL3_hEuEuE	a::f::<for<'a, 'b, 'c> fn(&'a u8, &'c u8, for<'d> fn(&'d &'a u8))>
_RINvC1a1fFUKCPaOtEuE	a::f::<unsafe extern "C" fn(*const i8, *mut u16)>
_RINvC1a1fFK8C_unwindEuE	a::f::<extern "C-unwind" fn()>
_RINvC1a1fDNtC1a1Tp4ItemhEL_E	a::f::<dyn a::T<Item = u8>>
_RINvC1a1fDINtC1a1TmEp4Itemhp1XiEL_E	a::f::<dyn a::T<u32, Item = u8, X = isize>>
_RINvC1a1fDG_NtC1a1TEL_E	a::f::<dyn for<'a> a::T>
_RINvC1a1fAhj3_E	a::f::<[u8; 3]>
_RINvC1a1fThEThtETESReE	a::f::<(u8,), (u8, u16), (), [&str]>
_RINvC1a1fKc27_Kc5c_Kc20_Kc7e_Kc10ffff_KpKj0_Kjffffffffffffffffff_Kan80_E	a::f::<''', '\', '\u{20}', '\u{7e}', '\u{10ffff}', _, 0, 0xfffffffffffffffff_, -128>
_RINvC1a1fL_E	a::f::<'_>
_RNvYhNtC1a1T1f	<u8 as a::T>::f
_RNCC1a3foo	a::{closure:foo#0}
_RNZC1as_3foo	a::{Z:foo#1}
_RNvC1a1_1	a::1
_RNvC1au3n3h	a::☃
_RNvCsbmNqQUJIY6D_4core3foo.llvm.1234	core::foo
EOF
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

@test "ld: a Rust v0 name in gcc's undefined-reference error reads as GNU ld's (mold's demangle-rust test)" {
  local name=_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_
  local shown='<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::memchr::memrchr::{closure#1}>::{closure#0}'
  printf 'void %s(void);\nint main(void) { %s(); }\n' "$name" "$name" >a.c
  gcc -c a.c
  run ! gcc -B "$MINI_BIN/" a.o -o prog
  [[ "${lines[0]}" == "mini-ld: a.o:(.text+0x"*"): in function 'main': undefined symbol '$shown'" ]]
  run ! gcc a.o -o prog.bfd
  [[ "$output" == *"undefined reference to \`$shown'"* ]]
  # --no-demangle: the name as it is.
  run ! gcc -B "$MINI_BIN/" -Wl,--no-demangle a.o -o prog
  [[ "${lines[0]}" == *"in function 'main': undefined symbol '$name'" ]]
}

@test "ld: Rust names are demangled in every message, and --no-demangle keeps them mangled" {
  local pad=_ZN4core3fmt9Formatter3pad17h0123456789abcdefE
  printf '\t.globl %s\n%s:\n\tret\n' "$pad" "$pad" | asm d1
  cp d1.o d2.o
  echo _RNvMs_Csh537bOAIRKx_3libINtB4_2SqmE3getB4_ | refs_object u
  run -1 "$MINI_LD" u.o d1.o d2.o -o prog
  [ "${lines[0]}" = "mini-ld: d2.o: duplicate symbol 'core::fmt::Formatter::pad' (first defined in d1.o)" ]
  run -1 "$MINI_LD" u.o d1.o -o prog
  [ "$output" = "mini-ld: u.o:(.text+0x1): undefined symbol '<lib::Sq<u32>>::get'" ]
  run -1 "$MINI_LD" --no-demangle u.o d1.o d2.o -o prog
  [ "${lines[0]}" = "mini-ld: d2.o: duplicate symbol '$pad' (first defined in d1.o)" ]
  run -1 "$MINI_LD" --no-demangle u.o d1.o -o prog
  [ "$output" = "mini-ld: u.o:(.text+0x1): undefined symbol '_RNvMs_Csh537bOAIRKx_3libINtB4_2SqmE3getB4_'" ]
}

@test "ld: a Rust name cut short at any byte reads as GNU ld shows it, or as it is" {
  # Every prefix of two v0 names and a legacy one, and the names: most prefixes break
  # the grammar and are shown as they are, a few still read (a shorter path); ld.bfd
  # must agree on each.
  local name i
  for name in _RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_ \
              _RINvC1a1fFG1_RL2_hRL0_hFG_RL0_RL3_hEuEDINtC1a1TmEp4Itemhp1XiEL_KcfcEB2_ \
              '_ZN49_$LT$lib..Sq$LT$f64$GT$$u20$as$u20$lib..Shape$GT$4area17h7155b49b440cf696E'; do
    for ((i = 2; i <= ${#name}; i++)); do echo "${name:0:i}"; done
  done | awk '!seen[$0]++' >prefixes  # mini-ld lists a symbol's references together
  refs_object cut <prefixes
  mapfile -t mini < <(shown_names mini cut.o)
  mapfile -t gnu < <(shown_names gnu cut.o)
  [ "${#mini[@]}" -eq "$(wc -l <prefixes)" ]
  [ "${mini[*]}" = "${gnu[*]}" ]
}

@test "ld: hostile Rust names (back-references in a loop, deep nesting, huge output) are shown as they are" {
  # A tuple of two back-references to the tuple before it, 20 times over: it would
  # print 2^20 u8s (GNU ld prints them all); past 64 KB we show the name as it is.
  local wide=_RINvC1a1fThhE prev=8 at i
  for ((i = 0; i < 20; i++)); do
    at=$((${#wide} - 2))
    wide+="TB$(base62 $prev)B$(base62 $prev)E"
    prev=$at
  done
  wide+=E
  local -a names=(
    _RB_                             # a back-reference to itself
    _RNvB_1a                         # to the path that holds it: a loop
    _RNvNvB_1a1b                     # the same, one level down
    _RNvB9_1a                        # forwards
    "_RINvC1a1f$(printf 'R%.0s' {1..5000})hE"   # & nested 5000 deep
    _RINvC1a1fFGzzzzzzzzzz_EuE       # for<> with 10^17 lifetimes
    _RNvC1au9_999999999              # punycode past any code point
    _RNvC1au20_zzzzzzzzzzzzzzzzzzzz  # punycode that overflows
    "$wide"
  )
  # ... and among them one that is sound, which reads as ever.
  printf '%s\n' "${names[@]}" _RNvNtCs1234_4core3fmt5write | refs_object hostile
  run -1 "$MINI_LD" hostile.o -o prog
  [ "${#lines[@]}" -eq $((${#names[@]} + 1)) ]
  for i in "${!names[@]}"; do
    [[ "${lines[i]}" == "mini-ld: hostile.o:(.text+0x"*"): undefined symbol '${names[i]:0:200}"* ]]
  done
  [[ "${lines[i + 1]}" == *"undefined symbol 'core::fmt::write'" ]]
  # 20,000 paths deep: the depth cap, not the stack, stops it.
  local deep
  deep="_R$(printf 'NvNv%.0s' {1..20000})C1a$(printf '1b%.0s' {1..40000})"
  echo "$deep" | refs_object deep
  run -1 "$MINI_LD" deep.o -o prog
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "mini-ld: deep.o:(.text+0x1): undefined symbol '_RNvNvNvNv"* ]]
}

@test "ld: extern \"C++\" in a version script matches Rust names demangled, as GNU ld does" {
  # GNU's demangler reads Rust names before C++ ones wherever ld demangles, so the
  # patterns of an extern "C++" block see them demangled too.
  local pad=_ZN4core3fmt9Formatter3pad17h0123456789abcdefE
  printf '\t.globl %s, _RNvC1a1b, other\n%s:\n_RNvC1a1b:\nother:\n\tret\n' "$pad" "$pad" | asm vs
  echo 'V1 { global: extern "C++" { "core::fmt::Formatter::pad"; "a::b"; }; local: *; };' >vs.map
  "$MINI_LD" -shared --version-script=vs.map vs.o -o vs.so
  ld.bfd -shared --version-script=vs.map vs.o -o vs.so.bfd
  [ "$(nm -D --defined-only vs.so | awk '$2 == "T" { print $3 }')" = "$(printf '%s\n' "_RNvC1a1b@@V1" "$pad@@V1")" ]
  [ "$(nm -D --defined-only vs.so.bfd | awk '$2 == "T" { print $3 }')" = "$(printf '%s\n' "_RNvC1a1b@@V1" "$pad@@V1")" ]
}
