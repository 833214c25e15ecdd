import Foundation
import MatchModel
import Optimization

/// One lexicographic stage solved on a sparse candidate set, with a proof
/// that covers every eligible pair:
///
/// 1. *Pricing*: solve the LP relaxation on the candidates, compute every
///    other eligible pair's reduced profit from the row duals, add the pairs
///    that price out (the best few per mentee), repeat until none does. The
///    LP optimum is then the relaxation's optimum over all pairs, a valid
///    upper bound `z_LP`.
/// 2. *MIP* on the candidates: incumbent `z_IP`.
/// 3. *Reduced-cost fixing*: for any cohort x, objective ≤ z_LP + Σ d_j x_j
///    (d_j ≤ 0 off the candidate set), and objectives are integral, so a pair
///    with d_j < z_IP + 1 − z_LP cannot be in a better cohort. Adding every
///    pair with d_j at least that and solving the MIP again gives the optimum
///    over all pairs (when z_LP < z_IP + 1 nothing can improve: proven already).
struct ColumnGeneration {
    let instance: MatchInstance
    let candidates: CandidatePairs
    let engine: any IntegerProgramEngine & RelaxationSolving
    let locked: Set<Int>
    /// Pairs each mentee may add per pricing round.
    var perMentee = 8
    /// Solves the stage's MIPs from a known cohort (its progress lines included).
    var improving: ImprovingSolve

    init(instance: MatchInstance, candidates: CandidatePairs, engine: any IntegerProgramEngine & RelaxationSolving, locked: Set<Int>) {
        self.instance = instance
        self.candidates = candidates
        self.engine = engine
        self.locked = locked
        improving = ImprovingSolve(engine: engine)
    }

    struct Result {
        var model: Formulation
        var result: SolveResult
        var pricingRounds: Int
        var columns: Int
    }

    /// Each mentee's best `k` pairs by points (and the locked pairs).
    static func initialSet(_ candidates: CandidatePairs, mentees: Int, k: Int, locked: Set<Int>, minimumPoints: Int?) -> Set<Int> {
        var out = locked
        for es in 0..<mentees {
            let range = candidates.pairs(ofMentee: es)
            var ks = Array(range)
            if let t = minimumPoints { ks = ks.filter { Int(candidates.points[$0]) >= t } }
            if ks.count > k { ks = Array(ks.sorted { (candidates.points[$0], -$0) > (candidates.points[$1], -$1) }.prefix(k)) }
            out.formUnion(ks)
        }
        return out
    }

    /// Where pricing ended: the relaxation infeasible on the candidates, stopped by the time limit
    /// (with the cohort carried in as the stage's answer), or priced out over every eligible pair.
    private enum Pricing {
        case infeasible
        case stopped(Result)
        case priced(model: Formulation, lp: RelaxationOptimum, rounds: Int, allowed: Set<Int>)
    }

    /// Solves the stage; `nil` when the relaxation on the candidates is
    /// infeasible (the caller then uses the full model).
    /// - Parameter remaining: seconds left of the run's time limit, asked before every LP and MIP.
    func solve(
        options: Formulation.Options, initial: Set<Int>, parameters: SolveParameters,
        remaining: () -> Double?, warm: [Int]?, progress: ((String) -> Void)?
    ) throws -> Result? {
        func timed(_ p: SolveParameters) -> SolveParameters {
            var q = p
            if let r = remaining() { q.timeLimitSeconds = max(0.001, r) }
            return q
        }
        var model: Formulation, lp: RelaxationOptimum, rounds: Int, allowed: Set<Int>
        switch try price(options: options, initial: initial, parameters: timed(parameters), warm: warm, progress: progress) {
        case .infeasible: return nil
        case .stopped(let r): return r
        case .priced(let m, let l, let r, let a): (model, lp, rounds, allowed) = (m, l, r, a)
        }
        // The MIP on the priced candidate set: from the cohort carried in, improved from the
        // relaxation just priced out (``ImprovingSolve``); else GLPK's own search from that basis.
        var mip: SolveResult
        if let warm {
            mip = try improving.solve(
                model.program, from: model.values(choosing: warm, candidates: candidates), relaxation: lp, parameters: timed(parameters))
        } else {
            var p = parameters
            p.startingBasis = lp.basis
            // Without a cohort to start from, GLPK's feasibility pump finds the first one
            // (dense equity rows otherwise leave branch-and-cut without an incumbent).
            p.options["feasibility_pump"] = true
            mip = try engine.solve(model.program, parameters: timed(p))
        }
        guard mip.termination == .optimal, let z = mip.objectiveValue else {
            return Result(model: model, result: mip, pricingRounds: rounds, columns: model.program.variables.count)
        }
        // Objectives are integral (coverage weights, points): a better cohort has at
        // least z + 1, so it needs Σ d_j x_j ≥ z + 1 − z_LP over the pairs it uses.
        let needed = z + 1 - lp.objective
        if needed <= 1e-6 {
            // Reduced-cost fixing: only pairs with d ≥ needed can be in a better cohort.
            var more = 0
            for k in 0..<candidates.count where !allowed.contains(k) && admits(k, options) {
                if model.reducedProfit(k, duals: lp.duals, instance: instance, candidates: candidates) >= needed - 1e-6 {
                    allowed.insert(k)
                    more += 1
                }
            }
            progress?("gap \(String(format: "%.2f", lp.objective - z)) between LP and MIP: \(more) more pairs could matter")
            if more > 0 {
                var opts = options
                opts.rowsForAllMentees = true
                opts.allowedPairs = allowed
                let incumbent = model.chosenPairs(mip.values ?? [])
                let priced = model
                model = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: opts)
                // The added pairs priced out, so the relaxation's optimum is where pricing ended:
                // from its basis GLPK confirms it at once, and the solve starts from it.
                var p2 = parameters
                p2.startingBasis = lp.basis?.carried(from: priced.program, to: model.program)
                var relaxation: RelaxationOptimum?
                do { relaxation = try engine.solveRelaxation(model.program, parameters: timed(p2)) } catch is RelaxationStopped {}
                mip = try improving.solve(
                    model.program, from: model.values(choosing: incumbent, candidates: candidates), relaxation: relaxation,
                    parameters: timed(parameters))
            }
        }
        // The bound that covers every pair is the priced LP; keep it if GLPK's is looser.
        if let b = mip.bestBound { mip.bestBound = min(b, lp.objective) } else { mip.bestBound = lp.objective }
        return Result(model: model, result: mip, pricingRounds: rounds, columns: model.program.variables.count)
    }

    /// Whether a pair may join this stage's model (a minimum-points stage leaves out pairs below it).
    private func admits(_ k: Int, _ options: Formulation.Options) -> Bool {
        options.minimumPoints.map { Int(candidates.points[k]) >= $0 } ?? true
    }

    /// The LP relaxation on the candidates, with the pairs that price out added (each mentee's best
    /// ``perMentee``) until none does: its optimum then bounds every eligible pair's cohort.
    private func price(
        options: Formulation.Options, initial: Set<Int>, parameters: @autoclosure () -> SolveParameters, warm: [Int]?,
        progress: ((String) -> Void)?
    ) throws -> Pricing {
        var allowed = initial
        var opts = options
        opts.rowsForAllMentees = true
        var rounds = 0
        // Each round's LP starts at the last one's optimal basis (its new columns at 0: primal
        // feasible, optimal but for them), the first at the cohort carried in.
        var last: (program: IntegerProgram, basis: SimplexBasis)?
        while true {
            rounds += 1
            opts.allowedPairs = allowed
            let model = Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: opts)
            let solved: RelaxationOptimum?
            var p = parameters()
            if let last {
                p.startingBasis = last.basis.carried(from: last.program, to: model.program)
            } else if let warm {
                p.warmStart = model.values(choosing: warm, candidates: candidates)
            }
            do {
                solved = try engine.solveRelaxation(model.program, parameters: p)
            } catch is RelaxationStopped {
                // Out of time while pricing: no bound over every pair yet; the cohort
                // carried in (if any) is what this stage has.
                progress?("pricing round \(rounds): stopped at the time limit")
                let values = warm.map { model.values(choosing: $0, candidates: candidates) }
                let objective = values.map { v in
                    zip(model.program.variables, v).reduce(model.program.objectiveConstant) { $0 + $1.0.objective * $1.1 }
                }
                return .stopped(
                    Result(
                        model: model,
                        result: SolveResult(termination: .timeLimit, values: values, objectiveValue: objective, bestBound: nil, seconds: 0),
                        pricingRounds: rounds, columns: model.program.variables.count))
            }
            guard let lp = solved else { return .infeasible }
            last = lp.basis.map { (model.program, $0) }
            var added = 0
            for es in instance.mentees.indices {
                var best: [(Double, Int)] = []
                for k in candidates.pairs(ofMentee: es) where !allowed.contains(k) && admits(k, options) {
                    let d = model.reducedProfit(k, duals: lp.duals, instance: instance, candidates: candidates)
                    if d > 1e-7 { best.append((d, k)) }
                }
                if best.count > perMentee { best = Array(best.sorted { $0 > $1 }.prefix(perMentee)) }
                for (_, k) in best { allowed.insert(k) }
                added += best.count
            }
            progress?(
                "pricing round \(rounds): \(model.program.variables.count) columns, LP \(String(format: "%.1f", lp.objective)); \(added) pairs priced in"
            )
            if added == 0 { return .priced(model: model, lp: lp, rounds: rounds, allowed: allowed) }
        }
    }
}
