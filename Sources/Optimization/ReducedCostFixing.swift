/// What an LP optimum proves about the integer variables once a solution is known.
///
/// At the relaxation's optimum `z_LP` with row duals `y`, every feasible point `x` has
/// `c·x ≤ z_LP + Σ_j d_j (x_j − x*_j)` (maximising; `d_j = c_j − Σ_i a_ij y_i`), and each term
/// is ≤ 0. A variable at its lower bound with `d_j < 0` can rise by `k` only if
/// `z_LP + d_j·k` still reaches the incumbent's value, so it rises by at most
/// `⌊gap / |d_j|⌋` (gap = `z_LP − z_incumbent`); likewise downwards from an upper bound.
/// The incumbent itself always keeps every tightened bound (it reaches its own value), so it
/// stays a solution of the tightened program, and the tightened program's optimum is the
/// original's: only points worse than the incumbent are cut off.
public struct ReducedCostFixing: Sendable {
    /// The relaxation's optimum.
    public let objective: Double
    /// Its primal values.
    public let values: [Double]
    /// Reduced costs `c_j − Σ_i a_ij y_i`, in the program's own direction.
    public let reducedCosts: [Double]
    private let variables: [IntegerProgram.Variable]
    private let maximizing: Bool

    /// - Parameter duals: the relaxation's row duals (GLPK's convention: `d_j = c_j − Σ_i a_ij y_i`).
    public init(_ program: IntegerProgram, objective: Double, values: [Double], duals: [Double]) {
        var d = program.variables.map(\.objective)
        for (i, c) in program.constraints.enumerated() where duals[i] != 0 {
            for t in c.terms { d[t.variable] -= t.coefficient * duals[i] }
        }
        self.init(program, objective: objective, values: values, reducedCosts: d)
    }

    /// From a relaxation's reduced costs directly — a relaxation with rows the program does not
    /// have (cuts every solution keeps) bounds it as well, and its reduced costs fix the same way.
    public init(_ program: IntegerProgram, objective: Double, values: [Double], reducedCosts: [Double]) {
        self.objective = objective
        self.values = values
        self.reducedCosts = reducedCosts
        variables = program.variables
        maximizing = program.direction == .maximize
    }

    /// Tightened bounds for the integer variables: for each, `nil` when nothing is proven,
    /// else the bounds any solution at least as good as `incumbent` (an objective value) keeps.
    public func bounds(incumbent: Double) -> [(lower: Double, upper: Double)?] {
        let gap = maximizing ? objective - incumbent : incumbent - objective
        // Round-off in the duals must never cut a solution off: a margin well above it.
        let margin = 1e-7 * max(1, abs(objective))
        guard gap.isFinite, gap >= -margin else { return Array(repeating: nil, count: variables.count) }
        return variables.indices.map { j -> (lower: Double, upper: Double)? in
            let v = variables[j]
            guard v.isInteger, v.lowerBound < v.upperBound else { return nil }
            // A gain of d per unit upwards (sign by direction): a loss of −d.
            let d = maximizing ? reducedCosts[j] : -reducedCosts[j]
            let x = values[j]
            if x <= v.lowerBound + 1e-9, d < 0 {
                let steps = ((gap + margin) / -d).rounded(.down)
                if steps.isFinite, v.lowerBound + steps < v.upperBound { return (v.lowerBound, v.lowerBound + steps) }
            } else if x >= v.upperBound - 1e-9, d > 0 {
                let steps = ((gap + margin) / d).rounded(.down)
                if steps.isFinite, v.upperBound - steps > v.lowerBound { return (v.upperBound - steps, v.upperBound) }
            }
            return nil
        }
    }
}
