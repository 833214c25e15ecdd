import MatchSolver
import Optimization

/// Tiers without side rules: one flow over every eligible pair, certified by its potentials.
struct TieredNetworkRoute: CohortSolver {
    private var solver: TieredNetwork
    private let instance: MatchInstance
    private let scanner: PairScanner

    init(_ context: SolveContext) {
        instance = context.instance
        solver = TieredNetwork(instance: context.instance)
        solver.progress = context.progress.map { p in { p($0) } }
        solver.shouldStop = { SolveControl.stopRequested }
        scanner = PairScanner(context.instance)
    }

    var engineName: String { "network" }

    mutating func solve() throws -> SolveOutcome { try solver.solve() }

    func eligibleMentors(of mentee: Int) -> [Int] { scanner.eligibleMentors(of: mentee) }

    func finalModel(for outcome: SolveOutcome, wanted: Bool) -> IntegerProgram? {
        wanted ? FinalStageModel.build(instance, outcome) : nil
    }
}
