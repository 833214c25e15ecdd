/// An internal failure of a solver (a bug, never bad input).
public struct SolverFailure: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { "solver failure: \(message)" }
}
