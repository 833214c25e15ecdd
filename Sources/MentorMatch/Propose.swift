import Foundation
import GLPKEngine
import MatchModel
import MatchSolver
import Optimization

/// The `propose` use case: load a program, build candidates, solve to proven
/// optimality, and assemble a proposal.
public struct Propose: Sendable {
    public var decisions = ReviewDecisions()
    public var verbose = false
    /// Overrides `solver.time_limit_seconds`.
    public var timeLimitSeconds: Double?
    public var progress: (@Sendable (String) -> Void)?
    public var engine: any IntegerProgramEngine = GLPKEngine()

    public init() {}

    /// Result of a run: the proposal and the final model handed to the solver.
    public struct Result: Sendable {
        public var proposal: Proposal
        public var model: IntegerProgram?
        public var warnings: [Diagnostic]
        /// The program as solved (after overrides).
        public var program: Program
    }

    /// Loads `programPath` and proposes a cohort. Throws ``InputError`` on bad input.
    public func run(programPath: String) throws -> Result {
        let loaded = try ProgramLoader.load(path: programPath)
        var r = try run(program: loaded.program)
        r.warnings = loaded.warnings
        return r
    }

    /// Proposes a cohort for an already loaded program.
    public func run(program: Program) throws -> Result {
        let start = DispatchTime.now()
        var program = program
        if let t = timeLimitSeconds { program.policy.solver.timeLimitSeconds = t }
        let instance = MatchInstance(program: program, decisions: decisions)
        progress?("scoring \(instance.mentees.count) mentees × \(instance.mentors.count) mentors")
        let candidates = CandidatePairs(instance)
        progress?("\(candidates.count) eligible pairs")
        var solver = LexicographicSolver(instance: instance, candidates: candidates, engine: engine)
        solver.verbose = verbose
        solver.progress = progress
        let outcome = try solver.solve()
        let total = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let proposal = Proposal(instance: instance, candidates: candidates, outcome: outcome,
                                engine: engine.name, totalSeconds: total)
        return Result(proposal: proposal, model: outcome.finalModel, warnings: [], program: program)
    }
}

/// Exit codes of `propose` (SPEC 5.1).
public enum ProposeExitCode: Int32, Sendable {
    case proposal = 0
    case inputError = 1
    case infeasible = 2
    case timeLimitWithoutSolution = 3

    public init(_ proposal: Proposal) {
        switch proposal.status {
        case .optimal, .feasible: self = .proposal
        case .infeasible: self = .infeasible
        case .timeLimit: self = proposal.pairs.isEmpty && proposal.objective.coverage == 0 && proposal.proofNote?.hasPrefix("no cohort") == true
            ? .timeLimitWithoutSolution : .proposal
        }
    }
}
