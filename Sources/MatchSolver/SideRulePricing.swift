import FlowEngine
import Foundation
import MatchModel

/// Lagrangian relaxation of the access/reach rows on the network engine's flow. With prices
/// λ ≥ 0 on the rows, a flow maximising `S·(W·coverage + points) + Σ λ·(row slack)` bounds every
/// cohort that meets the rows (their slack is ≥ 0); each row's price is found by doubling then
/// bisection on whether the flow meets it. Every priced flow that keeps the rules is a cohort,
/// and cohorts that keep them are moved towards the flows that break them (``CycleRepair``,
/// ``RuleRepair``). Stops when a cohort that meets every rule reaches ⌊bound⌋ — proven optimal
/// — or the prices converge; then reduced-cost fixing lists the pairs that can still matter.
struct SideRulePricing {
    /// The best cohort meeting every rule (locks included), the best bound in `W·coverage + points`
    /// units (floored), whether they meet, and when they do not, the pairs that can still matter.
    struct Result {
        var cohort: [(mentor: Int, mentee: Int)]?
        var bound: Int64?
        var proven: Bool
        var pairsThatMatter: (count: Int, pairs: [(mentor: Int, mentee: Int)]?)?
        /// No cohort keeping every rule has more coverage, when the counts (``CoverageByCounts``)
        /// proved less than the bound's.
        var coverageBound: Int? = nil
    }
    typealias Cohort = [(mentor: Int, mentee: Int)]
    typealias Flow = NetworkSolver.Flow
    typealias Run = (String, (Int) -> Int64, PairGain, Flow) throws -> Flow

    private let solver: NetworkSolver
    private let instance: MatchInstance
    private let rows: [SideRow]
    private let w: Int64
    private let maxPoints: Int
    private let weights: [Int64]
    private let prematched: [Bool]
    private let locks: Cohort
    private let layer: DepartmentLayer
    private let ruleRepair: RuleRepair?
    private let clock: Clock
    private let repairer: CycleRepair
    private let lockedSlots: Set<UInt64>
    /// The location-reach row, when there is one (priced on the pair arcs, not the mentees').
    private let reach: Int?
    /// Prices move in steps of `1/scale` point per unit of slack.
    private let scale: Int64
    /// Small programs afford a repair of every better flow; on dense ones a repair costs a pass
    /// over hundreds of thousands of pairs, and the first few find what the rest would.
    private let repairBudget: Int
    /// The pairs the rule repair lists (every eligible pair when there is one).
    private let repairPairs: Int

    private var lambda: [Int64]
    private var low: [Int64]
    private var high: [Int64?]
    /// The flow that gave the best bound: its potentials serve reduced-cost fixing.
    private var boundFlow: (potential: [Int64], gain: PairGain, pairs: Cohort)?
    private var best: (pairs: Cohort, value: Int64)?
    /// The latest flow's cohort and each row's slack in it.
    private var current: Cohort
    private var slack: [Int64]
    /// The best bound so far: `bound.value / bound.scale` in W·coverage + points units.
    private var bound: (value: Int64, scale: Int64)
    /// The latest flows that break a rule (the nearest to the prices that balance it).
    private var broken: [(pairs: Cohort, value: Int64)]
    /// The latest flow that keeps every rule.
    private var keeping: (pairs: Cohort, value: Int64)?
    /// Every flow priced on one row alone: its price (in 1/scale points), value and that row's slack.
    private var evaluated: [(row: Int, price: Int64, value: Int64, slack: Int64)] = []
    private var tried = Set<[Int64]>()
    private var repairs = 0
    /// The most coverage proven by counts (``CoverageByCounts``), when they ran.
    private var coverageByCounts: Int?
    /// Warm starts: the previous flow on the same arcs, its prices in this loop's units.
    private var last: Flow
    private var lastScale: Int64

    init(
        solver: NetworkSolver, rows: [SideRow], w: Int64, maxPoints: Int, weights: [Int64], prematched: [Bool],
        locks: Cohort, layer: DepartmentLayer, relaxedFlow: Flow, ruleRepair: RuleRepair?, clock: Clock
    ) {
        self.solver = solver
        instance = solver.instance
        self.rows = rows
        self.w = w
        self.maxPoints = maxPoints
        self.weights = weights
        self.prematched = prematched
        self.locks = locks
        self.layer = layer
        self.ruleRepair = ruleRepair
        self.clock = clock
        lambda = [Int64](repeating: 0, count: rows.count)
        low = lambda
        high = [Int64?](repeating: nil, count: rows.count)
        reach = rows.firstIndex { !$0.atLocation.isEmpty }
        current = relaxedFlow.pairs + locks
        let relaxedValue = Self.value(instance, current, w: w)
        bound = (relaxedValue, 1)  // λ = 0: the relaxation itself
        slack = Self.slacks(rows, current, mentees: instance.mentees.count)
        // Prices move in steps of a sixteenth of a point per whole unit of the largest coefficient
        // of a broken row: an access row's coefficients are about the number of mentees, so with
        // steps of 1/16 point per unit the smallest price was worth hundreds of points per mentee,
        // and no price could lower the bound. Costs stay far from overflow in the flow (W · scale per place).
        let slack = self.slack
        var scale = 16 * (rows.indices.filter { slack[$0] < 0 }.map { rows[$0].largestCoefficient }.max() ?? 1)
        while scale > 16 && Int128(w) * Int128(scale) * 4 >= Int128(1) << 43 { scale /= 2 }
        self.scale = scale
        broken = [(current, relaxedValue)]
        repairer = CycleRepair(instance: instance, rows: rows, layer: layer, w: w)
        lockedSlots = Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        repairPairs = ruleRepair?.eligible.reduce(0) { $0 + $1.count } ?? 0
        repairBudget = repairPairs <= 200_000 ? 16 : 4
        last = relaxedFlow
        last.solution?.potential = relaxedFlow.solution?.potential.map { $0 * scale } ?? []
        lastScale = scale
        // λ = 0: the relaxation's own optimum bounds every cohort until a priced flow bounds them
        // tighter — and its potentials serve the reduced-cost fixing when none does (a program
        // whose prices never lower the bound would otherwise go to the full GLPK model).
        if let sol = relaxedFlow.solution, relaxedFlow.complete {
            boundFlow = (sol.potential, PairGain(pointsScale: 1), relaxedFlow.pairs)
        }
    }

    /// W·coverage + points of a cohort.
    static func value(_ instance: MatchInstance, _ pairs: Cohort, w: Int64) -> Int64 {
        let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
        return w * Int64(o.coverage) + Int64(o.totalPoints)
    }

    private func value(_ pairs: Cohort) -> Int64 { Self.value(instance, pairs, w: w) }

    /// Every row's slack for a cohort.
    static func slacks(_ rows: [SideRow], _ pairs: Cohort, mentees: Int) -> [Int64] {
        var matched = [Bool](repeating: false, count: mentees)
        for p in pairs { matched[p.mentee] = true }
        return rows.map { $0.slack(pairs: pairs, matched: matched) }
    }

    private var flooredBound: Int64 { MinCostFlow.floorDiv(bound.value, bound.scale) }

    private func keepsEveryRule(_ pairs: Cohort) -> Bool {
        CohortCheck.violations(instance, pairs: pairs.map { ($0.mentor, $0.mentee) }).isEmpty
    }

    private mutating func offer(_ pairs: Cohort, value v: Int64) {
        if best.map({ v > $0.value }) ?? true { best = (pairs, v) }
    }

    /// Prices until proven or converged, then the crossing price, the reassignment of the best
    /// cohort and reduced-cost fixing.
    mutating func run(_ run: Run) throws -> Result {
        repairRules(current)
        for round in 1...60 {
            if solver.shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) { break }
            guard nextPrices() else { break }
            guard try price("network: side rules priced (round \(round))", lambda, priceScale: scale, run: run) else { break }
            report("side rules round \(round)")
            if let b = best, b.value >= flooredBound { return Result(cohort: b.pairs, bound: flooredBound, proven: true) }
        }
        try priceAtTheCrossing(run)
        settleCoverageByCounts()
        // The best cohort so far, reassigned with its group counts held (it may have come from a
        // priced flow or a cycle repair, which keep counts but not the best pairs for them).
        // Both cost whole flows over every pair: not begun once the time is up or the user stopped.
        let timeLeft = { [clock, solver] in !solver.shouldStop() && (clock.remaining.map { $0 > 0 } ?? true) }
        if solver.improvePoints {
            if let b = best, timeLeft() {
                solver.progress?("side rules: reassigning the best cohort with its group counts held")
                reassign(b.pairs)
                solver.progress?("side rules: reassigned (best cohort \(best.map { $0.value % w } ?? 0))")
            }
            if let b = best, b.value < flooredBound, timeLeft() { improveByCounts(b.pairs) }
        }
        if let b = best, b.value >= flooredBound { return Result(cohort: b.pairs, bound: flooredBound, proven: true) }
        let coverageBound = coverageByCounts.flatMap { $0 < flooredBound / w ? $0 : nil }
        guard let b = best, let bf = boundFlow else {
            return Result(cohort: best?.pairs, bound: flooredBound, proven: false, coverageBound: coverageBound)
        }
        // Reduced-cost fixing: a cohort meeting the rows with value ≥ best + 1 has
        // S·value ≤ its priced value = bound − Σ |reduced cost| of the arcs it changes,
        // so it can only use pairs of the bounding flow or pairs whose reduced cost is
        // at most `room`. Those pairs are all a search for a better cohort needs.
        let room = bound.value - bound.scale * (b.value + 1)
        let pairs = solver.pairsWithin(
            room: room, potential: bf.potential, gain: bf.gain, layer: layer, keep: bf.pairs + locks + b.pairs,
            limit: solver.sideRulePairLimit)
        solver.progress?("side rules: bound \(flooredBound % w) points, best cohort \(b.value % w); \(pairs.count) pairs can still matter")
        return Result(cohort: b.pairs, bound: flooredBound, proven: false, pairsThatMatter: pairs, coverageBound: coverageBound)
    }

    /// Next prices: raise a broken row's price (double, then bisect), lower a met row's.
    /// - Returns: whether any price changed.
    private mutating func nextPrices() -> Bool {
        var changed = false
        for k in rows.indices {
            let old = lambda[k]
            if slack[k] < 0 {
                low[k] = lambda[k]
                if let h = high[k] {
                    lambda[k] = (low[k] + h + 1) / 2
                } else {
                    // Beyond `ceiling` the row outweighs a whole place (W): it cannot be met by pricing.
                    let ceiling = 4 * scale * w / rows[k].largestCoefficient + 1
                    // First price: a hundredth of the best pair's points per whole pair the row
                    // gains (rules are usually met by exchanging pairs a few points apart).
                    let start = max(1, scale * Int64(maxPoints) / (100 * rows[k].largestCoefficient))
                    lambda[k] = lambda[k] == 0 ? start : min(lambda[k] * 2, ceiling)
                }
                if let h = high[k], lambda[k] >= h { lambda[k] = h }
            } else if lambda[k] > 0 {
                high[k] = lambda[k]
                lambda[k] = (low[k] + lambda[k]) / 2
                if lambda[k] <= low[k] { lambda[k] = high[k]! }
            }
            if lambda[k] != old { changed = true }
        }
        return changed
    }

    /// One row priced: the bisection leaves it between two sixteenths of a point. The flows on
    /// either side are both optimal where their lines cross (if no other flow is better there):
    /// one flow priced exactly there gives the exact Lagrangian bound, and a flow on the same
    /// face for the repair.
    private mutating func priceAtTheCrossing(_ run: Run) throws {
        guard let lo = evaluated.filter({ $0.slack < 0 }).max(by: { $0.price < $1.price }),
            let hi = evaluated.filter({ $0.slack >= 0 && $0.row == lo.row }).min(by: { $0.price < $1.price }),
            hi.price > lo.price, lo.value > hi.value, hi.slack > lo.slack,
            !solver.shouldStop(), clock.remaining.map({ $0 > 0 }) ?? true
        else { return }
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let d = gcd(lo.value - hi.value, hi.slack - lo.slack)
        let exactScale = (hi.slack - lo.slack) / d, exactPrice = (lo.value - hi.value) / d
        // Costs stay far from overflow in the flow (W · scale per place).
        guard exactScale > 1, Int128(w) * Int128(exactScale) * 4 < Int128(1) << 43 else { return }
        var lambda = [Int64](repeating: 0, count: rows.count)
        lambda[lo.row] = exactPrice
        if try price("network: side rules priced exactly where the last two flows cross", lambda, priceScale: exactScale, run: run) {
            report("side rules at the crossing price")
        }
    }

    /// What each mentee's first place and each pair earn with the rows priced at `lambda / priceScale`.
    private func pricedGains(_ lambda: [Int64], priceScale: Int64) -> (first: [Int64], pair: PairGain) {
        let first: [Int64] = weights.indices.map { es in
            var g = w * weights[es] * priceScale
            for k in rows.indices where lambda[k] != 0 && !rows[k].menteeCoefficient.isEmpty {
                g += lambda[k] * rows[k].menteeCoefficient[es]
            }
            return g
        }
        var gain = PairGain(pointsScale: priceScale)
        if let r = reach, lambda[r] != 0 {
            gain.atLocation = rows[r].atLocation
            gain.outside = rows[r].outside
            gain.outsideGain = lambda[r] * rows[r].outsideCoefficient
            gain.insideGain = lambda[r] * rows[r].insideCoefficient
        }
        return (first, gain)
    }

    /// Solves the flow with the rows priced at `lambda / priceScale` points per unit of slack
    /// (points × `priceScale`); takes its bound and, if it keeps every rule, its cohort; moves
    /// cohorts that keep every rule towards those that break them. `false` if it did not finish.
    private mutating func price(_ name: String, _ lambda: [Int64], priceScale: Int64, run: Run) throws -> Bool {
        let (first, gain) = pricedGains(lambda, priceScale: priceScale)
        // A place's first unit must stay the dearer one (the flow's matched(e) is its first unit).
        if first.indices.contains(where: { !prematched[$0] && first[$0] <= 0 }) { return false }
        if priceScale != lastScale {
            let converted = last.solution?.potential.map { MinCostFlow.floorDiv($0 * priceScale, lastScale) } ?? []
            last.solution?.potential = converted
        }
        let f = try run(name, { first[$0] }, gain, last)
        guard f.complete, let solution = f.solution else { return false }
        last = f
        lastScale = priceScale
        current = f.pairs + locks
        slack = Self.slacks(rows, current, mentees: instance.mentees.count)
        // The flow's value at these prices (a bound on S·(W·coverage + points) of any cohort meeting the rows).
        let v = value(current)
        var lagrangian = priceScale * v
        for k in rows.indices { lagrangian += lambda[k] * slack[k] }
        if Int128(lagrangian) * Int128(bound.scale) < Int128(bound.value) * Int128(priceScale) {
            bound = (lagrangian, priceScale)
            boundFlow = (solution.potential, gain, f.pairs)
        }
        let pricedRows = rows.indices.filter { lambda[$0] != 0 }
        if pricedRows.count == 1, let k = pricedRows.first, priceScale == scale {
            evaluated.append((k, lambda[k], v, slack[k]))
        }
        if slack.allSatisfy({ $0 >= 0 }), keepsEveryRule(current) {
            offer(current, value: v)
            keeping = (current, v)
        } else {
            broken.append((current, v))
            if broken.count > 3 { broken.removeFirst() }
            // Only a flow worth more than the best cohort can repair into a better one, mostly;
            // a few repairs find what the rest would (each costs a pass over the pairs).
            if best.map({ v > $0.value }) ?? true, repairs < repairBudget { repairRules(current) }
        }
        repairTowardsBrokenFlows()
        return true
    }

    /// Moves cohorts that keep every rule (the best so far, and the latest flow that keeps them:
    /// the nearest from above to the balancing prices) towards the flows that break them, cycle
    /// by cycle, while every rule holds.
    private mutating func repairTowardsBrokenFlows() {
        guard let b = best else { return }
        let bases = keeping.map { $0.value != b.value ? [b, $0] : [b] } ?? [b]
        for base in bases {
            for x in broken.sorted(by: { $0.value > $1.value }) where x.value > best!.value {
                // The same two cohorts give the same repair: try each pair once.
                guard tried.insert([base.value, x.value, Int64(base.pairs.count), Int64(x.pairs.count)]).inserted else { continue }
                // Repeated: each repaired cohort starts the next repair (cycles differ each time).
                var from = base
                for _ in 0..<3 {
                    let repaired = repairer.repair(feasible: from.pairs, better: x.pairs, locked: lockedSlots)
                    guard keepsEveryRule(repaired) else { break }
                    let rv = value(repaired)
                    guard rv > from.value else { break }
                    from = (repaired, rv)
                }
                if from.value > best!.value { best = from }
            }
        }
    }

    /// When the best cohort is not proven, the most coverage by counts (``CoverageByCounts``): a
    /// cohort that reaches it, or a proof that the bound's is out of reach — often both, in a few
    /// small integer programs — and the cohort at the counts nearest the bounding flow's, for its
    /// points (when the coverage is already reached, only up to
    /// ``NetworkTuning/countsForPointsPairLimit`` pairs). Half the time left at most; skipped
    /// without an integer engine or a repair over every pair (the proof needs them all).
    private mutating func settleCoverageByCounts() {
        guard let engine = solver.integerEngine, let ruleRepair, let b = best, b.value < flooredBound else { return }
        // For the points only where they count: a solve that improves them (not the fairness
        // objective's coverage step) and may hand the pairs that still matter to GLPK (not a quick
        // threshold check), on a roster where the flows over every pair pay.
        let forPoints = solver.improvePoints && solver.sideRulePairLimit > 0 && repairPairs <= solver.tuning.countsForPointsPairLimit
        guard b.value / w < flooredBound / w || forPoints else { return }
        let started = clock.elapsed
        let stop = { [clock, solver] in solver.shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) }
        solver.progress?("side rules: the most coverage by mentee-type counts")
        let search = CoverageByCounts(repair: ruleRepair, engine: engine)
        let towards = boundFlow.map { $0.pairs + locks }
        guard let r = try? search.solve(locks: locks, start: b.pairs, towards: towards, seconds: clock.remaining.map { $0 / 2 }, stop: stop) else {
            return
        }
        coverageByCounts = r.coverageBound
        if let c = r.cohort, keepsEveryRule(c) {
            offer(c, value: value(c))
            if let below = r.belowPrice {
                let moved = repairer.repair(feasible: c, better: below, locked: lockedSlots)
                if keepsEveryRule(moved) { offer(moved, value: value(moved)) }
            }
        }
        solver.progress?(
            "side rules: coverage at most \(r.coverageBound)\(r.cohort == nil ? "" : ", reached") (\(r.rounds) rounds, best cohort \(best.map { $0.value % w } ?? 0), "
                + "\(String(format: "%.1f", clock.elapsed - started)) s)")
    }

    /// Repairs a flow that breaks a rule into a cohort that keeps them all (``RuleRepair``).
    private mutating func repairRules(_ pairs: Cohort) {
        repairs += 1
        guard let r = ruleRepair?.repair(pairs, locked: lockedSlots), keepsEveryRule(r) else { return }
        offer(r, value: value(r))
    }

    /// Moves the best cohort's matched places between mentee types while that gains
    /// (``RuleRepair/improveByCounts(_:towards:locked:keepReach:work:stop:)``): the tuning's budget of
    /// work for the roster's size (``NetworkTuning/countSearchFlows(mentees:)``), and a third of the
    /// time left at most.
    private mutating func improveByCounts(_ pairs: Cohort) {
        guard let ruleRepair else { return }
        let started = clock.elapsed
        let budget = max(0.5, (clock.remaining ?? 120) / 3)
        let stop = { [clock, solver] in solver.shouldStop() || clock.elapsed - started > budget }
        solver.progress?("side rules: exchanging matched places between mentee types")
        let towards = (boundFlow.map { [$0.pairs + locks] } ?? []) + broken.map(\.pairs)
        let keepReach = { [repairer, lockedSlots] (from: Cohort, to: Cohort) in repairer.repair(feasible: from, better: to, locked: lockedSlots) }
        let search = ruleRepair.improveByCounts(
            pairs, towards: towards, locked: lockedSlots, keepReach: keepReach, work: solver.tuning.countSearchFlows(mentees: instance.mentees.count),
            stop: stop)
        if let x = search.cohort, keepsEveryRule(x) { offer(x, value: value(x)) }
        solver.progress?(
            "side rules: exchanged (best cohort \(best.map { $0.value % w } ?? 0), \(search.spent) flows, "
                + "\(String(format: "%.1f", clock.elapsed - started)) s)")
    }

    /// The best cohort with the same group counts as a cohort that keeps every rule; when it
    /// breaks the reach row, cycles from the cohort towards it that keep every rule.
    private mutating func reassign(_ pairs: Cohort) {
        guard let x = ruleRepair?.reassignKeepingCounts(pairs, locked: lockedSlots) else { return }
        var candidate = x
        if !keepsEveryRule(x) {
            candidate = repairer.repair(feasible: pairs, better: x, locked: lockedSlots)
            guard keepsEveryRule(candidate) else { return }
        }
        offer(candidate, value: value(candidate))
    }

    private func report(_ label: String) {
        let floorBound = flooredBound
        solver.progress?(
            "\(label): bound \(floorBound % w) points at coverage \(floorBound / w)"
                + (best.map { ", best cohort meeting them \($0.value % w)" } ?? ""))
    }
}
