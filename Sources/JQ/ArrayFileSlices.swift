#if canImport(Glibc)
  import Glibc
#endif

extension JSONValue {
  /// Reads the regular file at `path` as one JSON array, handing `body` consecutive slices of it.
  ///
  /// Each slice is an array of whole elements, in order, so memory holds one slice rather than the
  /// whole array. Returns `true` when the file was exactly one JSON array, which is then the
  /// concatenation of the slices. Returns `false` when it was anything else (another value, invalid
  /// JSON, extra data, empty) or could not be read: the slices handed on so far must then be
  /// forgotten, and `parseFile` gives the usual value or error. Only regular files are read, so that
  /// reading the file again after `false` sees the same bytes.
  public static func forEachArraySlice(inFileAtPath path: String, _ body: (JSONValue) throws -> Void) rethrows -> Bool {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
    return try ArraySlicer().slices(
      read: { buffer in
        while true {
          let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
          if count >= 0 { return count }
          if errno != EINTR { return nil }
        }
      }, body)
  }
}
