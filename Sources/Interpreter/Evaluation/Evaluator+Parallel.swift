import JQ
import Outcomes

extension Evaluator {
  /// Runs a `parallel for`: up to `--jobs` iterations at once, each in an evaluator of its own that
  /// sees a copy of the variables visible here (the parser has made sure it binds none of them), its
  /// output whole lines with the iteration's label. Every iteration runs to its end; then the
  /// statement fails if any did, with every failure in `$e.failures`. Ctrl-C, an `exit` or a syntax
  /// error in a sourced file stops them all.
  func runParallel(_ loop: ParallelLoop, span: SourceSpan) async throws {
    // The whole statement runs where its iterations do: copying the variables for a new iteration
    // must not race with the running ones over the reference counts of the values they share.
    try await withTaskExecutorPreference(settings.serialExecutor) {
      try await runIterations(loop, span: span)
    }
  }

  private func runIterations(_ loop: ParallelLoop, span: SourceSpan) async throws {
    let items = try values(of: loop.sequence, input: .null)
    var jobs = try parallelJobs(loop)
    guard !items.isEmpty else { return }
    let labels = try items.enumerated().map { index, item in try iterationLabel(loop, item: item, index: index) }
    var visible = globals
    if let frame = frames.last { visible.merge(frame) { $1 } }
    // The iterations' own interruption: Ctrl-C reaches it through the run's, and an iteration that
    // ends the run (`exit`) stops the others through it.
    let iterations = InterruptState()
    let forwarding = interrupts.onInterrupt { iterations.interrupt() }
    defer { interrupts.release(forwarding) }
    let executor = settings.serialExecutor
    if executor == nil { jobs = 1 }

    var outcomes: [(index: Int, outcome: IterationOutcome)] = []
    await withTaskGroup(of: (Int, IterationOutcome).self) { group in
      var next = 0
      func startNext() {
        let index = next
        next += 1
        let iteration = Iteration(
          evaluator: makeIterationEvaluator(
            variables: visible, name: loop.name, item: items[index], label: loop.unlabelled ? nil : labels[index],
            interrupts: iterations),
          body: loop.body)
        group.addTask(executorPreference: executor) { (index, await iteration.run()) }
      }
      while next < min(jobs, items.count) { startNext() }
      for await (index, outcome) in group {
        outcomes.append((index, outcome))
        if case .stopped = outcome { iterations.interrupt() }
        if next < items.count, !iterations.isInterrupted { startNext() }
      }
    }

    if interrupts.isInterrupted { throw Interruption() }
    for (_, outcome) in outcomes {
      if case .stopped(let error) = outcome { throw error }
    }
    let failures = outcomes.compactMap { index, outcome -> (index: Int, error: RuntimeError)? in
      if case .failed(let error) = outcome { return (index, error) }
      return nil
    }.sorted { $0.index < $1.index }
    guard !failures.isEmpty else { return }
    throw parallelFailure(failures, items: items, labels: labels, span: span)
  }

  /// `--jobs`, checked: a whole number from 1 to `ParallelLoop.maximumJobs`.
  private func parallelJobs(_ loop: ParallelLoop) throws -> Int {
    guard let (value, span) = loop.jobs else { return ParallelLoop.defaultJobs }
    let number = try evaluate(value, span: span, role: "value of `--jobs`").value
    guard let jobs = number.numberValue, jobs == jobs.rounded(), jobs >= 1, jobs <= Double(ParallelLoop.maximumJobs) else {
      throw RuntimeError(
        kind: .usage,
        message: "--jobs takes a whole number from 1 to \(ParallelLoop.maximumJobs), not \(number.dumped(.compact))", at: span,
        exitCode: ExitStatus.usageError)
    }
    return Int(jobs)
  }

  /// What names an iteration in its lines and in failures: `--label`'s output, else the value's
  /// `.name`, the value itself when it is a string or a number, or its place (`#3`).
  private func iterationLabel(_ loop: ParallelLoop, item: JSONValue, index: Int) throws -> String {
    if let filter = loop.label {
      let outputs = try values(of: filter, input: item)
      guard outputs.count == 1 else {
        throw RuntimeError(kind: .value, message: Messages.singleValue(role: "`--label`", count: outputs.count), at: filter.span)
      }
      return outputs[0].stringValue ?? outputs[0].dumped(.compact)
    }
    if let name = item["name"]?.stringValue, item.kind == .object { return name }
    switch item.kind {
    case .string: return item.stringValue ?? ""
    case .number, .boolean: return item.dumped(.compact)
    default: return "#\(index + 1)"
    }
  }

  private func makeIterationEvaluator(
    variables: [String: JSONValue], name: String, item: JSONValue, label: String?, interrupts: InterruptState
  ) -> Evaluator {
    var settings = self.settings
    // Several iterations draw at once: a live line would be redrawn by all of them.
    settings.liveStatus = false
    settings.taskExecutor = settings.serialExecutor ?? settings.taskExecutor
    let evaluator = Evaluator(
      commands: commands, output: IterationOutput(base: output, label: label), settings: settings, interrupts: interrupts)
    evaluator.globals = variables
    evaluator.globals[name] = item
    evaluator.functions = functions
    evaluator.scripts = scripts
    return evaluator
  }

  /// One error for the failed iterations: each is a note at its own place, and `$e.failures` lists
  /// them as `{index, label, item, error}` in the order of the values.
  private func parallelFailure(
    _ failures: [(index: Int, error: RuntimeError)], items: [JSONValue], labels: [String], span: SourceSpan
  ) -> RuntimeError {
    let listed = failures.map { index, error in
      JSONValue(object: [
        ("index", JSONValue(index)), ("label", JSONValue(labels[index])), ("item", items[index]), ("error", error.errorObject),
      ])
    }
    let codes = Set(failures.map(\.error.exitCode))
    var error = RuntimeError(
      kind: .parallel,
      message: "\(failures.count) of \(items.count) iteration\(items.count == 1 ? "" : "s") of `parallel for` failed",
      at: span, details: [("failures", JSONValue(array: listed))], exitCode: codes.count == 1 ? codes.first! : 1)
    error.notes = failures.map { index, failure in
      Diagnostic.Note("[\(labels[index])] \(failure.message)", at: failure.span)
    }
    return error
  }
}
