import Foundation
import GLPKEngine
import MatchModel
import MatchSolver
import Optimization

/// The `propose` use case: load a program, solve it to proven optimality,
/// and assemble a proposal.
public struct Propose: Sendable {
    public var decisions = ReviewDecisions()
    public var verbose = false
    /// Overrides `solver.time_limit_seconds`.
    public var timeLimitSeconds: Double?
    public var progress: (@Sendable (String) -> Void)?
    public var engine: EngineChoice = .auto
    /// Build the final stage's integer program even when the network engine solved (for `--write-model`).
    public var wantModel = false
    /// The network engine's settings.
    public var tuning = NetworkTuning()
    /// The GLPK engine (and its settings) for what is a MIP.
    public var glpk = GLPKEngine()
    /// Which engine runs, and where each hands over (every threshold, with its reason).
    public var selection = EngineSelection()

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
    public func run(programPath: String, overrides: [ProgramOverride] = []) throws -> Result {
        let loaded = try ProgramLoader.load(path: programPath, overrides: overrides)
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
        let route = try selection.route(engine, for: program)
        let context = SolveContext(
            instance: instance, selection: selection, tuning: tuning, glpk: glpk, verbose: verbose,
            progress: progress, start: start)
        var solver: any CohortSolver
        switch route {
        case .network: solver = NetworkRoute(context)
        case .tieredNetwork: solver = TieredNetworkRoute(context)
        case .networkFirst: solver = NetworkFirstRoute(context)
        case .fullModel: solver = FullModelRoute(context)
        }
        let routeName = ["network", "network (tiers)", "network first, then GLPK if needed", "glpk-model"][
            [.network, .tieredNetwork, .networkFirst, .fullModel].firstIndex(of: route)!]
        progress?("\(instance.mentees.count) mentees × \(instance.mentors.count) mentors, engine \(routeName)")
        let outcome = try solver.solve()
        let model = solver.finalModel(for: outcome, wanted: wantModel)
        progress?("explaining \(outcome.pairs.count) pairs and the unmatched")
        let total = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let answered = solver
        let proposal = Proposal(
            instance: instance, outcome: outcome, engine: solver.engineName, totalSeconds: total,
            eligibleMentors: { answered.eligibleMentors(of: $0) })
        return Result(proposal: proposal, model: model, warnings: [], program: program)
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
        case .timeLimit: self = proposal.proof?.cohortFound == false ? .timeLimitWithoutSolution : .proposal
        }
    }
}
