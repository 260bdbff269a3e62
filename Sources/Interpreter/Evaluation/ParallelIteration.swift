import JQ
import Outcomes

/// How one iteration ended.
enum IterationOutcome: Sendable {
  /// It ran to its end (or to `continue`).
  case finished
  /// It failed; the others go on, and the statement fails afterwards.
  case failed(RuntimeError)
  /// It ended the whole run (`exit`, Ctrl-C, a file it sourced did not parse): the others stop too.
  case stopped(any Error & Sendable)
}

/// An iteration's evaluator and body, handed to the task that runs it.
///
/// Unchecked: evaluators and syntax trees are not `Sendable`. Each evaluator is used only by its own
/// task, and all iterations run on one serial executor (`Evaluator.Settings.serialExecutor`), so the
/// jq values and the compiled program they share are never touched by two threads at once.
struct Iteration: @unchecked Sendable {
  let evaluator: Evaluator
  let body: Block

  func run() async -> IterationOutcome {
    defer { (evaluator.output as? IterationOutput)?.finish() }
    do {
      _ = try await evaluator.execute(body)
      return .finished
    } catch let error as RuntimeError {
      return .failed(error)
    } catch let error as ExitRequest {
      return .stopped(error)
    } catch let error as SourcedSyntaxErrors {
      return .stopped(error)
    } catch is CancellationError {
      return .stopped(Interruption())
    } catch let error as Interruption {
      return .stopped(error)
    } catch {
      return .failed(RuntimeError(kind: .error, message: "\(error)"))
    }
  }
}
