// Non-variadic wrappers over libedit's native API (el_set, el_get and history are variadic, which
// Swift cannot call), and accessors for the C standard streams. Nothing else imports libedit.
#ifndef MPG_CEDITLINE_SHIM_H
#define MPG_CEDITLINE_SHIM_H

#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static inline FILE *mpg_el_stdin(void) { return stdin; }
static inline FILE *mpg_el_stdout(void) { return stdout; }
static inline FILE *mpg_el_stderr(void) { return stderr; }

typedef char *(*mpg_el_prompt_fn)(EditLine *);
typedef unsigned char (*mpg_el_command_fn)(EditLine *, int);

static inline int mpg_el_set_prompt(EditLine *el, mpg_el_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
static inline int mpg_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int mpg_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int mpg_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
/// Puts the terminal in libedit's raw mode now. el_gets flushes the prompt before it switches, so a key
/// typed the moment the prompt shows could still meet the cooked terminal: Ctrl-D there is the line
/// discipline's end of file, which reaches libedit as a NUL, and is lost.
static inline int mpg_el_prepare_terminal(EditLine *el) { return el_set(el, EL_PREP_TERM, 1); }
static inline int mpg_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *mpg_el_get_clientdata(EditLine *el) {
  void *data = NULL;
  el_get(el, EL_CLIENTDATA, &data);
  return data;
}
static inline int mpg_el_add_function(EditLine *el, const char *name, const char *help, mpg_el_command_fn fn) {
  return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int mpg_el_bind(EditLine *el, const char *key, const char *function) {
  return el_set(el, EL_BIND, key, function, NULL);
}
static inline int mpg_el_source_editrc(EditLine *el) { return el_source(el, NULL); }

/// The line being edited: its text up to the end and the cursor's offset, in bytes.
static inline const char *mpg_el_line_text(EditLine *el, int *length, int *cursor) {
  const LineInfo *info = el_line(el);
  *length = (int)(info->lastchar - info->buffer);
  *cursor = (int)(info->cursor - info->buffer);
  return info->buffer;
}

static inline History *mpg_history_init(void) { return history_init(); }
static inline void mpg_history_end(History *h) { history_end(h); }
static inline int mpg_history_setsize(History *h, int size) {
  HistEvent event;
  return history(h, &event, H_SETSIZE, size);
}
static inline int mpg_history_setunique(History *h, int unique) {
  HistEvent event;
  return history(h, &event, H_SETUNIQUE, unique);
}
static inline int mpg_history_enter(History *h, const char *line) {
  HistEvent event;
  return history(h, &event, H_ENTER, line);
}

/// Ctrl-C while a line is read: a handler that only notes it, installed without SA_RESTART so the
/// read in el_gets returns at once (libedit then gives back NULL, as at the end of input).
static volatile sig_atomic_t mpg_el_interrupted = 0;
static void mpg_el_note_interrupt(int signal) { (void)signal; mpg_el_interrupted = 1; }
static inline void mpg_el_catch_interrupts(struct sigaction *previous) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = mpg_el_note_interrupt;
  sigemptyset(&action.sa_mask);
  mpg_el_interrupted = 0;
  sigaction(SIGINT, &action, previous);
}
static inline void mpg_el_restore_interrupts(const struct sigaction *previous) { sigaction(SIGINT, previous, NULL); }
static inline int mpg_el_was_interrupted(void) { return mpg_el_interrupted; }
/// Ends the current read as Ctrl-C does, for a Ctrl-C that arrived some other way.
static inline void mpg_el_interrupt_read(void) { mpg_el_interrupted = 1; }
/// Installs the noting handler for SIGINT for good (the interactive prompt's way to see Ctrl-C).
static inline void mpg_el_install_interrupt_handler(void) {
  struct sigaction previous;
  mpg_el_catch_interrupts(&previous);
}
/// Whether Ctrl-C was pressed since the last call; clears the note.
static inline int mpg_el_take_interrupt(void) {
  int seen = mpg_el_interrupted;
  mpg_el_interrupted = 0;
  return seen;
}

/// Reads one character for libedit, giving up (as at end of input) once Ctrl-C was noted. libedit's
/// own reader retries an interrupted read, and in a process with many threads the signal may not
/// interrupt this thread's read at all: so wait with poll and look at the flag between waits.
static int mpg_el_read_char(EditLine *el, wchar_t *out) {
  (void)el;
  static mbstate_t state;
  for (;;) {
    if (mpg_el_interrupted) return 0;
    struct pollfd input = {STDIN_FILENO, POLLIN, 0};
    int ready = poll(&input, 1, 50);
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    char byte;
    ssize_t count = read(STDIN_FILENO, &byte, 1);
    if (count == 0) return 0;
    if (count < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    size_t decoded = mbrtowc(out, &byte, 1, &state);
    if (decoded == (size_t)-2) continue;
    if (decoded == (size_t)-1) {
      memset(&state, 0, sizeof state);
      *out = (wchar_t)(unsigned char)byte;
    }
    return 1;
  }
}
static inline int mpg_el_use_interruptible_reader(EditLine *el) { return el_set(el, EL_GETCFN, mpg_el_read_char); }
static inline void mpg_el_use_environment_locale(void) { setlocale(LC_CTYPE, ""); }

#endif
