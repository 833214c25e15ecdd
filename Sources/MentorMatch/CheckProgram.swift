import MatchModel
import MatchSolver

/// The `check` use case: validates a program and its files without solving, and
/// sums up what it holds.
public struct CheckProgram: Sendable {
    public init() {}

    /// A program that loaded, in figures.
    public struct Summary: Sendable {
        public var program: Program
        public var warnings: [Diagnostic]
        public var activeMentees: Int
        public var activeMentors: Int
        /// Counted, not listed: a 100k × 25k roster has 713 M eligible pairs.
        public var eligiblePairs: Int
    }

    /// Loads `programPath`; throws ``InputError`` with every problem when there is an error.
    public func run(programPath: String) throws -> Summary {
        let loaded = try ProgramLoader.load(path: programPath)
        let instance = MatchInstance(program: loaded.program)
        return Summary(
            program: loaded.program, warnings: loaded.warnings, activeMentees: instance.mentees.count,
            activeMentors: instance.mentors.count, eligiblePairs: PairScanner(instance).countEligible())
    }
}
