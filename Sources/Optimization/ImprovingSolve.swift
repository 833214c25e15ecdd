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
/// 2. *Targets* between the incumbent and the LP bound: the program within the bounds reduced
///    costs give at a target value is small, and its optimum says whether any solution reaches the
///    target — the program's optimum when one does, a lower bound when none does.
/// 3. *Reduced-cost fixing* (``ReducedCostFixing``) at the gap between the LP bound and the best
///    incumbent: every variable whose reduced cost exceeds the gap is fixed.
/// 4. *The root alone* (``RootSolving``), from the incumbent's vertex: a branch-and-cut engine's
///    tree depends on the vertex its root starts from, and from the incumbent's it settles some
///    programs at once that its own start does not; otherwise the root's LP, cuts included,
///    bounds the program and its reduced costs fix more. (From the relaxation's optimal basis
///    instead when the relaxation was slow: from the incumbent's vertex the root solves it again.)
///    Then the engine proves the optimum on the program within every bound proven, warm-started
///    with the incumbent, its root starting at the relaxation's optimal basis: on a degenerate
///    relaxation its own start spends as long again reaching an optimal vertex.
///
/// A target's answer is proven on its own; every other step only removes solutions worse than the
/// incumbent, so the final solve's optimum is the program's, and its bound (with the LP's and the
/// roots') bounds the program.
public struct ImprovingSolve: Sendable {
    public let engine: any IntegerProgramEngine & RelaxationSolving
    /// Neighbourhood searches at most (each after the last one gained).
    public var neighbourhoodRounds = 4
    /// The share of the time left one neighbourhood search may take.
    public var neighbourhoodShare = 0.15
    /// Roots solved alone at most; after the first, only while the last one's reduced costs (its
    /// cuts included) fixed at least ``restartShare`` of the variables it had free.
    public var rootRounds = 4
    /// The share of free variables a root must fix for another round.
    public var restartShare = 0.2
    /// Targets probed at most between the best solution and the bound (``probeTargets``).
    public var targetProbes = 6
    /// Where a target sits between the best solution's value and the bound.
    public var targetShare = 0.75
    /// A target is probed only when its bounds leave at most this share of the variables free that
    /// the best solution's leave free.
    public var targetFreeShare = 0.5
    /// The share of the time left one target's program may take.
    public var targetTimeShare = 0.5
    /// Whether the engine's own search starts its root at the relaxation's optimal basis (carried
    /// to the variables left) rather than from its own start.
    public var finalSearchFromRelaxation = true
    /// The roots solved alone start at the incumbent's vertex — from there GLPK settles some
    /// programs at its root that it does not from the relaxation's optimum — but that solves the
    /// relaxation again, about as long as the first time: when the first took more than this share
    /// of the time left, they start at its optimal basis instead (0: always; a relaxation the caller
    /// gave: never).
    public var rootFromRelaxationShare = 0.25
    /// Called with a line of progress.
    public var progress: (@Sendable (String) -> Void)?

    public init(engine: any IntegerProgramEngine & RelaxationSolving) { self.engine = engine }

    /// Solves `program` from `incumbent` (a feasible solution); falls back to the engine's plain
    /// solve when the incumbent is not feasible or the relaxation cannot be read.
    /// - Parameter relaxation: the program's LP optimum when the caller has it already (column
    ///   generation ends with one): the solve starts from it instead of solving the relaxation again.
    public func solve(
        _ program: IntegerProgram, from incumbent: [Double], relaxation: RelaxationOptimum? = nil, parameters: SolveParameters
    ) throws -> SolveResult {
        let known = relaxation.map {
            Relaxed(fixing: ReducedCostFixing(program, objective: $0.objective, values: $0.values, duals: $0.duals), basis: $0.basis)
        }
        return try solve(program, from: incumbent, known: known, parameters: parameters)
    }

    /// A relaxation's optimum as the solve uses it: what its reduced costs fix, and its basis.
    private struct Relaxed {
        var fixing: ReducedCostFixing
        var basis: SimplexBasis?
    }

    /// - Parameter known: the program's LP optimum, if known.
    private func solve(
        _ program: IntegerProgram, from incumbent: [Double], known: Relaxed?, parameters: SolveParameters
    ) throws
        -> SolveResult
    {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        func timed(_ cap: Double? = nil) -> SolveParameters {
            var p = parameters
            p.warmStart = nil
            p.startingBasis = nil
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
            // The LP optimum restricted is the smaller program's: the settled variables sit at their values in it too.
            let restricted = known.map {
                Relaxed(
                    fixing: ReducedCostFixing(
                        presolved.program, objective: $0.fixing.objective, values: presolved.restrict($0.fixing.values),
                        reducedCosts: presolved.restrict($0.fixing.reducedCosts)),
                    basis: $0.basis.map { presolved.restrict($0, of: program) })
            }
            var r = try solve(presolved.program, from: presolved.restrict(incumbent), known: restricted, parameters: timed())
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

        let fixing: ReducedCostFixing
        var lpBasis: SimplexBasis?
        var rootFromRelaxation = rootFromRelaxationShare == 0
        if let known {
            fixing = known.fixing
            lpBasis = known.basis
        } else {
            let started = elapsed()
            let relaxation: RelaxationOptimum?
            do {
                // Started at the incumbent (an engine that can, like GLPK, skips its search for a first basis).
                var p = timed()
                p.warmStart = incumbent
                relaxation = try engine.solveRelaxation(program, parameters: p)
            } catch is RelaxationStopped {
                return result(.timeLimit, bound: nil)
            }
            guard let lp = relaxation else { return try plain() }
            fixing = ReducedCostFixing(program, objective: lp.objective, values: lp.values, duals: lp.duals)
            lpBasis = lp.basis
            if let limit = parameters.timeLimitSeconds, elapsed() - started > rootFromRelaxationShare * (limit - started) {
                rootFromRelaxation = true
            }
        }
        /// The relaxation's optimum.
        let lp = (objective: fixing.objective, values: fixing.values)
        let integral = program.hasIntegralObjective
        /// The best bound proven so far: the LP's, then the tighter of it and the roots'.
        var bound = lp.objective
        /// Whether the bound settles the incumbent: within 1 of it when objectives are whole numbers.
        func settled() -> Bool {
            let gap = maximizing ? bound - bestValue : bestValue - bound
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

        // 2. Targets between the best solution and the bound.
        if integral, parameters.relativeGap == 0,
            let r = try probeTargets(
                program, fixing: fixing, best: &best, bestValue: &bestValue, bound: &bound, timed: timed, elapsed: elapsed)
        {
            return r
        }
        if settled() { return result(.optimal, bound: bestValue) }

        // 3. Every variable the gap fixes. Then the root alone from the best solution's vertex: it
        // may settle the rest there (GLPK's tree depends on its root vertex: from this one it closes
        // some programs at once that it does not from its own), and its cuts' reduced costs fix
        // more; while they fix a good share, again on the rest. Then the engine on what is left.
        func tighter(_ a: Double, _ b: Double) -> Double { maximizing ? min(a, b) : max(a, b) }
        /// The roots' relaxations so far, each with its program's variables' indices in this one.
        var roots: [(fixing: ReducedCostFixing, free: [Int])] = []
        /// Every bound the relaxations prove for solutions at least as good as the best one.
        func provenBounds() -> [(lower: Double, upper: Double)?] {
            var bounds = fixing.bounds(incumbent: bestValue)
            for root in roots {
                for (i, b) in root.fixing.bounds(incumbent: bestValue).enumerated() {
                    guard let b else { continue }
                    let j = root.free[i]
                    let old = bounds[j] ?? (program.variables[j].lowerBound, program.variables[j].upperBound)
                    bounds[j] = (max(old.lower, b.lower), min(old.upper, b.upper))
                }
            }
            return bounds
        }
        /// The result of a search on `rest` (the program within proven bounds), for the program.
        func finish(_ search: SolveResult, on rest: FixedProgram) throws -> SolveResult {
            var r = search
            if r.termination == .infeasible || r.termination == .unbounded {
                // The best solution keeps every proven bound, so only round-off gets here: the whole program.
                return try plain()
            }
            if let v = r.values, let value = r.objectiveValue, better(value, than: bestValue), case let found = rest.expand(v),
                program.isFeasible(found)
            {
                best = found
                bestValue = value
            }
            r.values = best
            r.objectiveValue = bestValue
            r.bestBound = r.termination == .optimal ? bestValue : r.bestBound.map { tighter($0, bound) } ?? bound
            r.seconds = elapsed()
            return r
        }
        progress?(
            "LP bound \(Self.format(lp.objective)), best \(Self.format(bestValue)): "
                + "\(Self.fixedCount(provenBounds())) of \(program.variables.count) variables fixed by their reduced costs")
        /// The program within `bounds`: without the variables they fix, or — to start from the
        /// relaxation's basis — with every variable kept, so that basis is still one of it (a basic
        /// variable now fixed only makes it primal infeasible).
        func within(_ bounds: [(lower: Double, upper: Double)?], fromRelaxation: Bool) -> (program: FixedProgram, basis: SimplexBasis?) {
            guard fromRelaxation, let lpBasis else { return (FixedProgram(program, bounds: bounds), nil) }
            return (FixedProgram(program, bounds: bounds, keepingFixed: true), lpBasis)
        }
        if let rooting = engine as? any RootSolving {
            for _ in stride(from: 0, to: rootRounds, by: 1) {
                let before = provenBounds()
                let free = program.variables.count - Self.fixedCount(before)
                guard free > 0 else { break }
                let within = within(before, fromRelaxation: rootFromRelaxation)
                let rest = within.program
                var p = timed()
                p.warmStart = rest.restrict(best)
                p.startingBasis = within.basis
                let root: RootRelaxation
                switch try rooting.solveRoot(rest.program, parameters: p) {
                case .ended(let r): return try finish(r, on: rest)  // settled, or stopped, at the root
                case .branching(let found): root = found
                }
                if let (v, value) = root.incumbent, better(value, than: bestValue), case let x = rest.expand(v), program.isFeasible(x) {
                    best = x
                    bestValue = value
                }
                bound = tighter(bound, root.bound)
                if settled() { return result(.optimal, bound: bestValue) }
                roots.append(
                    (ReducedCostFixing(rest.program, objective: root.bound, values: root.values, reducedCosts: root.reducedCosts), rest.free))
                let fixedNow = Self.fixedCount(provenBounds()) - Self.fixedCount(before)
                progress?(
                    "root bound \(Self.format(root.bound)) with cuts, best \(Self.format(bestValue)): "
                        + "\(fixedNow) of \(free) free variables fixed by its reduced costs")
                if Double(fixedNow) < restartShare * Double(free) { break }
            }
        }
        var p = timed()
        let rest = within(provenBounds(), fromRelaxation: finalSearchFromRelaxation)
        p.startingBasis = rest.basis
        p.warmStart = rest.program.restrict(best)
        return try finish(try engine.solve(rest.program.program, parameters: p), on: rest.program)
    }

    /// Is there a solution worth at least a target `T` between the best one and the bound? Every
    /// such solution keeps the bounds the LP's reduced costs give at `T` — far more of them fixed
    /// than at the best solution's value — so the program within them is small, and its optimum
    /// answers: at least `T`, it is the program's optimum (a better one would be in it too);
    /// below `T` (or none), no solution reaches `T`, and the bound comes down to `T − 1` (whole
    /// objective values). A solution found on the way is kept either way. The targets sit
    /// ``targetShare`` of the way from the best solution to the bound, so each probe that ends
    /// closes that share of the gap or the rest; a probe stopped by its time ends them.
    /// - Returns: the program's optimum when a probe proved it, else nil (with `best`, its value
    ///   and `bound` as the probes left them).
    private func probeTargets(
        _ program: IntegerProgram, fixing: ReducedCostFixing, best: inout [Double], bestValue: inout Double, bound: inout Double,
        timed: (Double?) -> SolveParameters, elapsed: () -> Double
    ) throws -> SolveResult? {
        let maximizing = program.direction == .maximize
        for _ in stride(from: 0, to: targetProbes, by: 1) {
            // Whole objective values: the bound floored (maximising), the gap in whole units.
            let top = maximizing ? (bound + 1e-6).rounded(.down) : (bound - 1e-6).rounded(.up)
            let gap = maximizing ? top - bestValue : bestValue - top
            guard gap >= 2 else { return nil }
            let step = max(1, min(gap - 1, (gap * targetShare).rounded(.down)))
            let target = maximizing ? bestValue + step : bestValue - step
            let targetBounds = fixing.bounds(incumbent: target)
            // Worth it only where the target fixes far more than the best solution does (on a
            // degenerate LP, whose reduced costs are mostly tiny, it fixes about as many). The
            // program comes presolved: no variable is fixed by its own bounds.
            let n = program.variables.count
            let freeAtTarget = n - Self.fixedCount(targetBounds), freeAtBest = n - Self.fixedCount(fixing.bounds(incumbent: bestValue))
            guard Double(freeAtTarget) <= targetFreeShare * Double(freeAtBest) else { return nil }
            let within = FixedProgram(program, bounds: targetBounds)
            guard !within.free.isEmpty else { return nil }
            func say(_ what: String) { progress?("target \(Self.format(target)) (\(within.free.count) variables free): \(what)") }
            let cap = timed(nil).timeLimitSeconds.map { max(0.5, $0 * targetTimeShare) }
            var p = timed(cap)
            let start = within.restrict(best)
            p.warmStart = within.program.isFeasible(start) ? start : nil
            let r = try engine.solve(within.program, parameters: p)
            var found: Double?
            if let v = r.values, let value = r.objectiveValue, case let x = within.expand(v), program.isFeasible(x) {
                found = value
                if maximizing ? value > bestValue + 1e-6 : value < bestValue - 1e-6 {
                    best = x
                    bestValue = value
                }
            }
            switch r.termination {
            // A solution GLPK calls optimal that does not check out settles nothing.
            case .optimal where found == nil:
                return nil
            case .optimal, .infeasible:
                if let found, maximizing ? found >= target - 1e-6 : found <= target + 1e-6 {
                    say("optimum \(Self.format(bestValue))")
                    return SolveResult(termination: .optimal, values: best, objectiveValue: bestValue, bestBound: bestValue, seconds: elapsed())
                }
                bound = maximizing ? min(bound, target - 1) : max(bound, target + 1)
                say("out of reach, bound \(Self.format(bound))")
            default:
                say("not settled in its time")
                return nil
            }
        }
        return nil
    }

    /// How many variables the bounds fix (lower = upper).
    private static func fixedCount(_ bounds: [(lower: Double, upper: Double)?]) -> Int {
        bounds.filter { $0.map { $0.lower == $0.upper } ?? false }.count
    }

    private static func format(_ x: Double) -> String {
        abs(x - x.rounded()) < 1e-6 && abs(x) < 1e15 ? String(Int64(x.rounded())) : String(format: "%.2f", x)
    }
}
