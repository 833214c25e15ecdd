import MatchSolver
import Optimization

/// The network engine alone: every rule of the program is network structure,
/// and the flow's certificate proves the cohort optimal.
struct NetworkRoute: CohortSolver {
    private var solver: NetworkSolver
    private let instance: MatchInstance

    init(_ context: SolveContext) {
        instance = context.instance
        solver = NetworkSolver(instance: context.instance)
        solver.tuning = context.tuning
        solver.ruleRepairPairLimit = context.selection.ruleRepairPairLimit
        solver.progress = context.progress.map { p in { p($0) } }
        solver.shouldStop = { SolveControl.stopRequested }
    }

    var engineName: String { "network" }

    mutating func solve() throws -> SolveOutcome { try solver.solve() }

    func eligibleMentors(of mentee: Int) -> [Int] { solver.eligibleMentors(of: mentee) }

    func finalModel(for outcome: SolveOutcome, wanted: Bool) -> IntegerProgram? {
        wanted ? FinalStageModel.build(instance, outcome) : nil
    }
}
