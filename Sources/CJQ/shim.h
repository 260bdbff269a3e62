// C shim for libjq 1.6: the headers plus small non-variadic helpers that Swift cannot express
// (function-like macros, mutable C globals). Nothing else belongs here.
#ifndef MPG_CJQ_SHIM_H
#define MPG_CJQ_SHIM_H

#include <stdio.h>
#include <jv.h>
#include <jq.h>

/// The print flags jq's CLI uses: an indent of `indent` spaces (0 for compact) plus options.
static inline int mpg_jv_print_flags(int indent, int color, int sorted, int ascii) {
  int flags = indent > 0 ? JV_PRINT_INDENT_FLAGS(indent) : 0;
  if (color) flags |= JV_PRINT_COLOR;
  if (sorted) flags |= JV_PRINT_SORTED;
  if (ascii) flags |= JV_PRINT_ASCII;
  return flags;
}

/// The C standard output stream (a mutable global that Swift 6 cannot touch directly).
static inline FILE *mpg_stdout(void) { return stdout; }

/// The C standard error stream.
static inline FILE *mpg_stderr(void) { return stderr; }

/// Stops a running jq program; safe to call when it is already halted (jq_halt asserts otherwise).
static inline void mpg_jq_request_halt(jq_state *jq) {
  if (jq && !jq_halted(jq)) jq_halt(jq, jv_invalid(), jv_string("interrupted"));
}

/// The kind of a value without consuming it.
static inline int mpg_jv_kind(jv value) { return (int)jv_get_kind(value); }

#ifdef __GLIBC__
#include <malloc.h>
#endif

/// Makes every thread allocate jv values from glibc's main heap (M_ARENA_MAX = 1); a no-op elsewhere.
static inline void mpg_use_one_malloc_arena(void) {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, 1);
#endif
}

#endif
