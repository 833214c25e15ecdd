import Foundation

/// An integer program solved from a solution already known — the usual case for a stage that
/// starts from a cohort a heuristic found. A branch-and-bound engine proves such an optimum
/// slowly when its own incumbents are weak and its search is left to settle the last few units
/// of the objective; two classical steps before it change that:
///
/// 1. *Neighbourhood search* (RINS, Danna, Rothberg and Le Pape 2005): the integer variables on
///    which the LP optimum and the incumbent agree are fixed, and the engine solves the small
///    program left. A better solution found there becomes the incumbent; rounds repeat while
///    they gain.
/// 2. *Reduced-cost fixing* (``ReducedCostFixing``) at the gap between the LP bound and the best
///    incumbent: every variable whose reduced cost exceeds the gap is fixed, and the engine
///    proves the optimum on the program that is left, started from the incumbent.
///
/// Both only ever remove solutions worse than the incumbent, so the final solve's optimum is the
/// program's, and its bound (with the LP's) bounds the program.
public struct ImprovingSolve: Sendable {
    public let engine: any IntegerProgramEngine & RelaxationSolving
    /// Neighbourhood searches at most (each after the last one gained).
    public var neighbourhoodRounds = 4
    /// The share of the time left one neighbourhood search may take.
    public var neighbourhoodShare = 0.15
    /// Called with a line of progress.
    public var progress: (@Sendable (String) -> Void)?

    public init(engine: any IntegerProgramEngine & RelaxationSolving) { self.engine = engine }

    /// Solves `program` from `incumbent` (a feasible solution); falls back to the engine's plain
    /// solve when the incumbent is not feasible or the relaxation cannot be read.
    public func solve(_ program: IntegerProgram, from incumbent: [Double], parameters: SolveParameters) throws -> SolveResult {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        func timed(_ cap: Double? = nil) -> SolveParameters {
            var p = parameters
            p.warmStart = nil
            let left = parameters.timeLimitSeconds.map { max(0.001, $0 - elapsed()) }
            p.timeLimitSeconds = [left, cap].compactMap { $0 }.min()
            return p
        }
        func plain() throws -> SolveResult {
            var p = timed()
            p.warmStart = incumbent
            return try engine.solve(program, parameters: p)
        }
        guard program.isFeasible(incumbent), !program.variables.isEmpty else { return try plain() }
        // Variables fixed already (by their bounds, or by a row they fill) leave the program first:
        // GLPK's simplex, run without presolve, would carry them through every iteration.
        let presolved = FixedProgram(program, fixing: FixedProgram.settledVariables(program))
        if presolved.free.count < program.variables.count {
            progress?("\(program.variables.count - presolved.free.count) of \(program.variables.count) variables settled by their bounds")
            var r = try solve(presolved.program, from: presolved.restrict(incumbent), parameters: timed())
            r.values = r.values.map(presolved.expand)
            r.seconds = elapsed()
            return r
        }
        let maximizing = program.direction == .maximize
        func better(_ a: Double, than b: Double) -> Bool { maximizing ? a > b + 1e-6 : a < b - 1e-6 }
        var best = incumbent
        var bestValue = program.objectiveValue(of: incumbent)
        func result(_ termination: Termination, bound: Double?) -> SolveResult {
            SolveResult(termination: termination, values: best, objectiveValue: bestValue, bestBound: bound, seconds: elapsed())
        }

        let relaxation: (objective: Double, values: [Double], duals: [Double])?
        do {
            // Started at the incumbent (an engine that can, like GLPK, skips its search for a first basis).
            var p = timed()
            p.warmStart = incumbent
            relaxation = try engine.solveRelaxation(program, parameters: p)
        } catch is RelaxationStopped {
            return result(.timeLimit, bound: nil)
        }
        guard let lp = relaxation else { return try plain() }
        let fixing = ReducedCostFixing(program, objective: lp.objective, values: lp.values, duals: lp.duals)
        let integral = program.hasIntegralObjective
        /// Whether the bound settles the incumbent: within 1 of it when objectives are whole numbers.
        func settled() -> Bool {
            let gap = maximizing ? lp.objective - bestValue : bestValue - lp.objective
            return gap < (integral ? 1 - 1e-6 : 1e-9 * max(1, abs(bestValue)))
        }
        func withinRequestedGap() -> Bool {
            parameters.relativeGap > 0 && abs(lp.objective - bestValue) <= parameters.relativeGap * max(abs(bestValue), 1e-9)
        }
        if settled() { return result(.optimal, bound: bestValue) }
        if withinRequestedGap() { return result(.gapLimit, bound: lp.objective) }

        // 1. Neighbourhoods of the incumbent where the LP optimum agrees with it.
        for round in stride(from: 1, through: neighbourhoodRounds, by: 1) {
            // The variables the gap fixes, and those on which the LP optimum and the incumbent agree.
            var fixed = fixing.bounds(incumbent: bestValue).map { b in b.flatMap { $0.lower == $0.upper ? $0 : nil } }
            var agreeing = 0
            for (j, v) in program.variables.enumerated() where v.isInteger && fixed[j] == nil && abs(lp.values[j] - best[j]) <= 1e-6 {
                fixed[j] = (best[j], best[j])
                agreeing += 1
            }
            guard agreeing > 0 else { break }
            let neighbourhood = FixedProgram(program, bounds: fixed)
            let free = neighbourhood.free.count
            guard free > 0 else { break }
            let before = bestValue
            var p = timed(parameters.timeLimitSeconds.map { max(0.5, ($0 - elapsed()) * neighbourhoodShare) })
            p.warmStart = neighbourhood.restrict(best)
            let r = try engine.solve(neighbourhood.program, parameters: p)
            if let v = r.values, let value = r.objectiveValue, better(value, than: bestValue),
                case let found = neighbourhood.expand(v), program.isFeasible(found)
            {
                best = found
                bestValue = value
                progress?("neighbourhood \(round) (\(free) variables free): \(Self.format(bestValue))")
            } else {
                progress?("neighbourhood \(round) (\(free) variables free): no better solution")
            }
            if r.termination == .interrupted { return result(.interrupted, bound: lp.objective) }
            if settled() { return result(.optimal, bound: bestValue) }
            // The same incumbent has the same neighbourhood: another round only after a gain.
            guard bestValue != before else { break }
        }
        if withinRequestedGap() { return result(.gapLimit, bound: lp.objective) }

        // 2. Every variable the gap fixes, then the engine on what is left.
        let rest = FixedProgram(program, bounds: fixing.bounds(incumbent: bestValue))
        progress?(
            "LP bound \(Self.format(lp.objective)), best \(Self.format(bestValue)): "
                + "\(program.variables.count - rest.free.count) of \(program.variables.count) variables fixed by their reduced costs")
        var p = timed()
        p.warmStart = rest.restrict(best)
        var r = try engine.solve(rest.program, parameters: p)
        if r.termination == .infeasible || r.termination == .unbounded {
            // The incumbent is a solution of the fixed program, so only round-off gets here: the whole program.
            return try plain()
        }
        if let v = r.values, let value = r.objectiveValue, better(value, than: bestValue), case let found = rest.expand(v),
            program.isFeasible(found)
        {
            best = found
            bestValue = value
        }
        let bound = r.bestBound.map { maximizing ? min($0, lp.objective) : max($0, lp.objective) } ?? lp.objective
        r.values = best
        r.objectiveValue = bestValue
        r.bestBound = r.termination == .optimal ? bestValue : bound
        r.seconds = elapsed()
        return r
    }

    private static func format(_ x: Double) -> String {
        abs(x - x.rounded()) < 1e-6 && abs(x) < 1e15 ? String(Int64(x.rounded())) : String(format: "%.2f", x)
    }
}
