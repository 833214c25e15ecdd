import MatchModel
import MatchSolver

enum MatchSolverBridge {
    static func instance(_ p: Program) -> MatchInstance { MatchInstance(program: p) }
}
