import GLPKEngine

/// Stopping running solves, whatever the engine: the flow engine, network first and
/// GLPK all poll this one flag (kept in the C shim, where a signal handler may set it).
public enum SolveControl {
    /// Ctrl-C stops a running solve, which returns its best cohort so far
    /// with status `time_limit`; a second Ctrl-C ends the process.
    public static func stopOnInterrupt() { GLPKEngine.stopOnInterrupt() }

    /// Whether a stop was requested (Ctrl-C, or ``requestStop()``).
    public static var stopRequested: Bool { GLPKEngine.stopRequested }

    /// Asks every running solve to stop at its next safe point.
    public static func requestStop() { GLPKEngine.requestStop() }
}
