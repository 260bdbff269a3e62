internal import CJQ

/// Process-wide allocation policy for jq values.
public enum JQAllocation {
  /// Makes every thread allocate from glibc's main heap. Call once at start-up, before other threads
  /// allocate. An mpg script runs one statement at a time but on the concurrency runtime's worker
  /// threads, whose glibc heaps grow by an `mprotect` every 128 KiB: loading a 100 MB JSON file (about
  /// 770 MB of jv values) spent a quarter of its time there. The main heap grows with `brk`, as jq's does.
  public static func useOneArena() {
    mpg_use_one_malloc_arena()
  }
}
