import FlowEngine
import Foundation
import MatchModel

/// Access and reach rules on the flow: Lagrangian prices on their rows (each price a
/// bound, each priced flow that keeps the rules a cohort), the repair of broken flows
/// into rule-keeping cohorts, and the pairs that can still matter after pricing.
extension NetworkSolver {
    /// Lagrangian relaxation of the access/reach rows on the flow. With prices λ ≥ 0 on
    /// the rows, a flow maximising `S·(W·coverage + points) + Σ λ·(row slack)` bounds every
    /// cohort that meets the rows (their slack is ≥ 0); each row's price is found by
    /// doubling then bisection on whether the flow meets it. Stops when a cohort that
    /// meets every rule reaches ⌊bound⌋ — proven optimal — or the prices converge.
    /// - Returns: the best cohort meeting every rule (locks included), the best bound in
    ///   `W·coverage + points` units (floored), and whether they meet.
    func priceSideRules(
        rows: [SideRow], w: Int64, maxPoints: Int, weights: [Int64], prematched: [Bool],
        locks: [(mentor: Int, mentee: Int)], layer: DepartmentLayer, relaxedFlow: Flow,
        ruleRepair: RuleRepair?, clock: Clock,
        run: (String, (Int) -> Int64, PairGain, Flow) throws -> Flow
    )
        throws -> (
            cohort: [(mentor: Int, mentee: Int)]?, bound: Int64?, proven: Bool,
            pairsThatMatter: (count: Int, pairs: [(mentor: Int, mentee: Int)]?)?
        )
    {
        let nE = instance.mentees.count
        var lambda = [Int64](repeating: 0, count: rows.count)
        var low = [Int64](repeating: 0, count: rows.count)
        var high = [Int64?](repeating: nil, count: rows.count)
        var boundFlow: (potential: [Int64], gain: PairGain, pairs: [(mentor: Int, mentee: Int)])?
        var best: (pairs: [(mentor: Int, mentee: Int)], value: Int64)?
        let reach = rows.firstIndex { !$0.atLocation.isEmpty }
        func value(_ pairs: [(mentor: Int, mentee: Int)]) -> Int64 {
            let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
            return w * Int64(o.coverage) + Int64(o.totalPoints)
        }
        /// Every row's slack for a cohort.
        func slacks(_ pairs: [(mentor: Int, mentee: Int)]) -> [Int64] {
            var matched = [Bool](repeating: false, count: nE)
            for p in pairs { matched[p.mentee] = true }
            return rows.map { $0.slack(pairs: pairs, matched: matched) }
        }
        var current = relaxedFlow.pairs + locks
        let relaxedValue = value(current)
        // The best bound so far: `bound.value / bound.scale` in W·coverage + points units.
        var bound = (value: relaxedValue, scale: Int64(1))  // λ = 0: the relaxation itself
        func floored(_ b: (value: Int64, scale: Int64)) -> Int64 { MinCostFlow.floorDiv(b.value, b.scale) }
        var s = slacks(current)
        // Prices move in steps of a sixteenth of a point per whole unit of the largest
        // coefficient of a broken row: an access row's coefficients are about the number of
        // mentees, so with steps of 1/16 point per unit the smallest price was worth hundreds
        // of points per mentee, and no price could lower the bound (3k × 1k, seeds 3 and 4).
        // Costs stay far from overflow in the flow (W · scale per place).
        let scale: Int64 = {
            let largest = rows.indices.filter { s[$0] < 0 }.map { rows[$0].largestCoefficient }.max() ?? 1
            var scale = 16 * largest
            while scale > 16 && Int128(w) * Int128(scale) * 4 >= Int128(1) << 43 { scale /= 2 }
            return scale
        }()
        var broken: [(pairs: [(mentor: Int, mentee: Int)], value: Int64)] = [(current, relaxedValue)]
        var keeping: (pairs: [(mentor: Int, mentee: Int)], value: Int64)?
        // Every flow priced on one row alone: its price (in 1/scale points), value and that row's slack.
        var evaluated: [(row: Int, price: Int64, value: Int64, slack: Int64)] = []
        var tried = Set<[Int64]>()
        let repairer = CycleRepair(instance: instance, rows: rows, layer: layer, w: w)
        let lockedSlots = Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        // Warm starts: the previous flow on the same arcs, its prices in this loop's units.
        var last = relaxedFlow
        last.solution?.potential = relaxedFlow.solution?.potential.map { $0 * scale } ?? []
        var lastScale = scale
        // λ = 0: the relaxation's own optimum bounds every cohort until a priced flow bounds them
        // tighter — and its potentials serve the reduced-cost fixing below when none does (a 3k
        // program whose prices never lowered the bound went to the full GLPK model: 600 s).
        if let sol = relaxedFlow.solution, relaxedFlow.complete {
            boundFlow = (sol.potential, PairGain(pointsScale: 1), relaxedFlow.pairs)
        }

        /// Moves cohorts that keep every rule (the best so far, and the latest flow that keeps
        /// them: the nearest from above to the balancing prices) towards the flows that break
        /// them, cycle by cycle, while every rule holds.
        func repairTowardsBrokenFlows() {
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
                        guard CohortCheck.violations(instance, pairs: repaired.map { ($0.mentor, $0.mentee) }).isEmpty else { break }
                        let rv = value(repaired)
                        guard rv > from.value else { break }
                        from = (repaired, rv)
                    }
                    if from.value > best!.value { best = from }
                }
            }
        }
        /// Repairs a flow that breaks a rule into a cohort that keeps them all (``RuleRepair``).
        var repairs = 0
        // Small programs afford a repair of every better flow; on dense ones a repair costs
        // a pass over hundreds of thousands of pairs, and the first few find what the rest would.
        let repairBudget = (ruleRepair?.eligible.reduce(0) { $0 + $1.count } ?? 0) <= 200_000 ? 16 : 4
        func repairRules(_ pairs: [(mentor: Int, mentee: Int)]) {
            repairs += 1
            guard let r = ruleRepair?.repair(pairs, locked: lockedSlots),
                CohortCheck.violations(instance, pairs: r.map { ($0.mentor, $0.mentee) }).isEmpty
            else { return }
            let v = value(r)
            if best.map({ v > $0.value }) ?? true { best = (r, v) }
        }
        /// The best cohort with the same group counts as a cohort that keeps every rule; when it
        /// breaks the reach row, cycles from the cohort towards it that keep every rule.
        func reassign(_ pairs: [(mentor: Int, mentee: Int)]) {
            guard let x = ruleRepair?.reassignKeepingCounts(pairs, locked: lockedSlots) else { return }
            var candidate = x
            if !CohortCheck.violations(instance, pairs: x.map { ($0.mentor, $0.mentee) }).isEmpty {
                candidate = repairer.repair(feasible: pairs, better: x, locked: lockedSlots)
                guard CohortCheck.violations(instance, pairs: candidate.map { ($0.mentor, $0.mentee) }).isEmpty else { return }
            }
            let cv = value(candidate)
            if best.map({ cv > $0.value }) ?? true { best = (candidate, cv) }
        }
        repairRules(current)
        func report(_ label: String) {
            let floorBound = floored(bound)
            progress?(
                "\(label): bound \(floorBound % w) points at coverage \(floorBound / w)"
                    + (best.map { ", best cohort meeting them \($0.value % w)" } ?? ""))
        }

        /// Solves the flow with the rows priced at `lambda / priceScale` points per unit of slack
        /// (points × `priceScale`); takes its bound and, if it keeps every rule, its cohort; moves
        /// cohorts that keep every rule towards those that break them. `false` if it did not finish.
        func price(_ name: String, _ lambda: [Int64], priceScale: Int64) throws -> Bool {
            let first: [Int64] = (0..<nE).map { es in
                var g = w * weights[es] * priceScale
                for k in rows.indices where lambda[k] != 0 && !rows[k].menteeCoefficient.isEmpty {
                    g += lambda[k] * rows[k].menteeCoefficient[es]
                }
                return g
            }
            // A place's first unit must stay the dearer one (the flow's matched(e) is its first unit).
            if (0..<nE).contains(where: { !prematched[$0] && first[$0] <= 0 }) { return false }
            var gain = PairGain(pointsScale: priceScale)
            if let r = reach, lambda[r] != 0 {
                gain.atLocation = rows[r].atLocation
                gain.outside = rows[r].outside
                gain.outsideGain = lambda[r] * rows[r].outsideCoefficient
                gain.insideGain = lambda[r] * rows[r].insideCoefficient
            }
            if priceScale != lastScale {
                let converted = last.solution?.potential.map { MinCostFlow.floorDiv($0 * priceScale, lastScale) } ?? []
                last.solution?.potential = converted
            }
            let f = try run(name, { first[$0] }, gain, last)
            guard f.complete, let solution = f.solution else { return false }
            last = f
            lastScale = priceScale
            current = f.pairs + locks
            s = slacks(current)
            // The flow's value at these prices (a bound on S·(W·coverage + points) of any cohort meeting the rows).
            let v = value(current)
            var lagrangian = priceScale * v
            for k in rows.indices { lagrangian += lambda[k] * s[k] }
            if Int128(lagrangian) * Int128(bound.scale) < Int128(bound.value) * Int128(priceScale) {
                bound = (lagrangian, priceScale)
                boundFlow = (solution.potential, gain, f.pairs)
            }
            let pricedRows = rows.indices.filter { lambda[$0] != 0 }
            if pricedRows.count == 1, let k = pricedRows.first, priceScale == scale {
                evaluated.append((k, lambda[k], v, s[k]))
            }
            if s.allSatisfy({ $0 >= 0 }), CohortCheck.violations(instance, pairs: current.map { ($0.mentor, $0.mentee) }).isEmpty {
                if best.map({ v > $0.value }) ?? true { best = (current, v) }
                keeping = (current, v)
            } else {
                // The latest flows that break a rule are the nearest to the prices that balance it.
                broken.append((current, v))
                if broken.count > 3 { broken.removeFirst() }
                // Only a flow worth more than the best cohort can repair into a better one, mostly;
                // a few repairs find what the rest would (each costs a pass over the pairs).
                if best.map({ v > $0.value }) ?? true, repairs < repairBudget { repairRules(current) }
            }
            repairTowardsBrokenFlows()
            return true
        }

        for round in 1...60 {
            if shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) { break }
            // Next prices: raise a broken row's price (double, then bisect), lower a met row's.
            var changed = false
            for k in rows.indices {
                let old = lambda[k]
                if s[k] < 0 {
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
            if !changed { break }
            guard try price("network: side rules priced (round \(round))", lambda, priceScale: scale) else { break }
            report("side rules round \(round)")
            let floorBound = floored(bound)
            if let b = best, b.value >= floorBound { return (b.pairs, floorBound, true, nil) }
        }
        // One row priced: the bisection leaves it between two sixteenths of a point. The
        // flows on either side are both optimal where their lines cross (if no other flow
        // is better there): one flow priced exactly there gives the exact Lagrangian bound,
        // and a flow on the same face for the repair.
        if let lo = evaluated.filter({ $0.slack < 0 }).max(by: { $0.price < $1.price }),
            let hi = evaluated.filter({ $0.slack >= 0 && $0.row == lo.row }).min(by: { $0.price < $1.price }),
            hi.price > lo.price, lo.value > hi.value, hi.slack > lo.slack,
            !shouldStop(), clock.remaining.map({ $0 > 0 }) ?? true
        {
            func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
            let d = gcd(lo.value - hi.value, hi.slack - lo.slack)
            let exactScale = (hi.slack - lo.slack) / d, exactPrice = (lo.value - hi.value) / d
            // Costs stay far from overflow in the flow (W · scale per place).
            if exactScale > 1, Int128(w) * Int128(exactScale) * 4 < Int128(1) << 43 {
                var lambda = [Int64](repeating: 0, count: rows.count)
                lambda[lo.row] = exactPrice
                if try price("network: side rules priced exactly where the last two flows cross", lambda, priceScale: exactScale) {
                    report("side rules at the crossing price")
                }
            }
        }
        // The best cohort so far, reassigned with its group counts held (it may have come from a
        // priced flow or a cycle repair, which keep counts but not the best pairs for them).
        if let b = best {
            progress?("side rules: reassigning the best cohort with its group counts held")
            reassign(b.pairs)
            progress?("side rules: reassigned (best cohort \(best.map { $0.value % w } ?? 0))")
        }
        let floorBound = floored(bound)
        if let b = best, b.value >= floorBound { return (b.pairs, floorBound, true, nil) }
        guard let b = best, let bf = boundFlow else { return (best?.pairs, floorBound, false, nil) }
        // Reduced-cost fixing: a cohort meeting the rows with value ≥ best + 1 has
        // S·value ≤ its priced value = bound − Σ |reduced cost| of the arcs it changes,
        // so it can only use pairs of the bounding flow or pairs whose reduced cost is
        // at most `room`. Those pairs are all a search for a better cohort needs.
        let room = bound.value - bound.scale * (b.value + 1)
        let pairs = pairsWithin(
            room: room, potential: bf.potential, gain: bf.gain, layer: layer, keep: bf.pairs + locks + b.pairs,
            limit: sideRulePairLimit)
        progress?("side rules: bound \(floorBound % w) points, best cohort \(b.value % w); \(pairs.count) pairs can still matter")
        return (b.pairs, floorBound, false, pairs)
    }

    /// A ``RuleRepair`` over every eligible pair (programs up to ``ruleRepairPairLimit`` pairs).
    func ruleRepair(rows: [SideRow], w: Int64) -> RuleRepair {
        let eligible = instance.mentees.indices.map { es in
            eligiblePairs(of: es).sorted { ($0.points, $1.mentor) > ($1.points, $0.mentor) }
        }
        return RuleRepair(instance: instance, rows: rows, w: w, eligible: eligible)
    }

    /// Every eligible pair whose reduced cost under `potential` is at most `room`,
    /// plus `keep`: their number, and the pairs themselves when there are at most `limit`.
    func pairsWithin(
        room: Int64, potential: [Int64], gain: PairGain, layer: DepartmentLayer,
        keep: [(mentor: Int, mentee: Int)], limit: Int
    ) -> (count: Int, pairs: [(mentor: Int, mentee: Int)]?) {
        let nodes = MatchNetworkLayout(instance)
        // Count first: past the limit, listing them (and deduplicating) would only cost time and memory.
        let within = PairsWithinRoom(
            room: room, potential: potential, gain: gain, layer: layer, slotAt: scanner.slotAtPosition,
            nodes: nodes, listing: false)
        let counted = foldEligible(within).reduce(0) { $0 + $1.count }
        if counted > limit { return (counted + keep.count, nil) }
        var listing = within
        listing.listing = true
        let found = foldEligible(listing).map(\.pairs)
        var seen = Set<UInt64>()
        var out: [(mentor: Int, mentee: Int)] = []
        for p in found.joined() + keep where seen.insert(MatchInstance.pairKey(p.mentor, p.mentee)).inserted { out.append(p) }
        return (out.count, out)
    }
}
