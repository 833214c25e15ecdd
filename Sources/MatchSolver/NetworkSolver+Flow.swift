import FlowEngine
import Foundation
import MatchModel

/// The flow on a candidate set, priced against every eligible pair until none
/// has a negative reduced cost (the potentials then certify the whole program).
extension NetworkSolver {
    /// Folds every eligible pair into one `Fold` per chunk of mentees, on every
    /// core: the cached pairs straight from their buffers when there is a cache,
    /// else by scanning.
    func foldEligible<Fold: EligiblePairFold>(_ empty: Fold) -> [Fold] {
        if let cache = eligible {
            return parallelMap(cache.segments.count) { c in
                var fold = empty
                let seg = cache.segments[c]
                seg.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<(seg.start.count - 1) where fold.begin(mentee: seg.first + i) {
                        let es = seg.first + i
                        fold.visit(mentee: es, codes: UnsafeBufferPointer(rebasing: codes[seg.start[i]..<seg.start[i + 1]]))
                        fold.end(mentee: es)
                    }
                }
                return fold
            }
        }
        let scanner = self.scanner
        return scanner.scan { range, scratch in
            var fold = empty
            for es in range where fold.begin(mentee: es) {
                scanner.forEachEligibleInScanOrder(mentee: es, scratch: &scratch) { i, _, p in fold.visit(mentee: es, position: i, points: p) }
                fold.end(mentee: es)
            }
            return fold
        }
    }

    /// Solves one flow on the candidate set, prices every other eligible pair
    /// with the potentials, and repeats until none has a negative reduced cost.
    func solveFlow(
        candidates initial: [[(mentor: Int32, points: Int32)]], capacity: [Int], places: [Int],
        prematched: [Bool], layer: DepartmentLayer, lockedKeys: Set<UInt64>, minPoints: Int?, warm: Flow? = nil,
        maxPoints: Int, firstGain: (Int) -> Int64, pairGain: PairGain, clock: Clock
    ) throws -> Flow {
        let started = DispatchTime.now()
        let nE = instance.mentees.count, nM = instance.mentors.count
        var cand = initial
        if let t = minPoints { cand = cand.map { $0.filter { Int($0.points) >= t } } }
        var inSet = Set<UInt64>()
        let nodes = MatchNetworkLayout(mentees: nE, mentors: nM)
        let s = nodes.source, t = nodes.sink
        @Sendable func menteeNode(_ es: Int) -> Int { nodes.mentee(es) }
        @Sendable func mentorNode(_ ms: Int) -> Int { nodes.mentor(ms) }
        let layerBase = nodes.layerBase
        var net = MinCostFlow(nodeCount: nodes.nodeCount(layerNodes: layer.nodeCount))
        // Every mentee with a free place gets its source arcs, candidates or not,
        // so its potential is tied down and pricing covers all of its pairs.
        for es in 0..<nE where places[es] > 0 {
            if prematched[es] {
                net.addArc(from: s, to: menteeNode(es), capacity: places[es], cost: 0)
            } else {
                net.addArc(from: s, to: menteeNode(es), capacity: 1, cost: -firstGain(es))
                if places[es] > 1 { net.addArc(from: s, to: menteeNode(es), capacity: places[es] - 1, cost: 0) }
            }
        }
        for ms in 0..<nM where capacity[ms] > 0 {
            // The mentors_used stage (SPEC 9.3): a mentor's first place is worth its gain, as a mentee's first place is.
            if let gain = mentorFirstGain?[ms], gain > 0 {
                net.addArc(from: mentorNode(ms), to: t, capacity: 1, cost: -gain)
                if capacity[ms] > 1 { net.addArc(from: mentorNode(ms), to: t, capacity: capacity[ms] - 1, cost: 0) }
            } else {
                net.addArc(from: mentorNode(ms), to: t, capacity: capacity[ms], cost: 0)
            }
        }
        for (node, ms, room) in layer.nodes where room > 0 && capacity[ms] > 0 {
            net.addArc(from: layerBase + node, to: mentorNode(ms), capacity: room, cost: 0)
        }
        var pairArcs: [(arc: Int, mentor: Int, mentee: Int, points: Int32)] = []
        var arcTotal = net.arcCount
        /// The arc of a pair, recorded as the network's next arc (the caller appends it).
        func pairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) -> MinCostFlow.NewArc {
            let target = layer.target(mentor: Int(c.mentor), mentee: es, mentorBase: mentorNode(0), layerBase: layerBase)
            pairArcs.append((arcTotal, Int(c.mentor), es, c.points))
            arcTotal += 1
            inSet.insert(MatchInstance.pairKey(Int(c.mentor), es))
            return MinCostFlow.NewArc(
                from: menteeNode(es), to: target, capacity: 1,
                cost: -pairGain.gain(mentor: Int(c.mentor), mentee: es, points: Int(c.points)))
        }
        func addPairArc(_ es: Int, _ c: (mentor: Int32, points: Int32)) {
            let arc = pairArc(es, c)
            net.addArc(from: arc.from, to: arc.to, capacity: arc.capacity, cost: arc.cost)
        }
        if let warm {
            // The same arcs in the same order as the flow being warm-started from.
            for p in warm.order { addPairArc(Int(p.mentee), (p.mentor, p.points)) }
        } else {
            for es in 0..<nE where places[es] > 0 { for c in cand[es] where capacity[Int(c.mentor)] > 0 { addPairArc(es, c) } }
        }
        /// Every eligible pair outside the set with a negative reduced cost under
        /// `potential` (at most `limit` a mentee and ``perMentorLimit`` a mentor, the
        /// most violated), on every core. Each pass's floors (``PricingMemory``) let
        /// the next skip the mentees that cannot have a violator.
        var memory: PricingMemory?
        var menteesRead = 0
        var pricingSeconds = 0.0
        func priceOut(_ potential: [Int64], limit: Int, cut: Int64 = 0) -> [Pricer.Violator] {
            let priceStart = DispatchTime.now()
            defer { pricingSeconds = Double(DispatchTime.now().uptimeNanoseconds - priceStart.uptimeNanoseconds) / 1e9 }
            var pricer = Pricer(
                potential: potential, nodes: nodes, layer: layer,
                slotAt: scanner.slotAtPosition, capacity: capacity, places: places,
                minPoints: minPoints, pairGain: pairGain, maxPoints: maxPoints, locked: lockedKeys,
                inSet: inSet, limit: limit, previous: cut < 0 ? nil : memory)
            pricer.cut = cut
            let parts = foldEligible(pricer)
            var floor = memory?.floor ?? [Int64](repeating: .min, count: nE)
            for part in parts { for (es, f) in part.floors { floor[Int(es)] = f } }
            menteesRead = parts.reduce(0) { $0 + $1.read }
            var found = Array(parts.map(\.found).joined())
            if tuning.perMentorLimit > 0 {
                found = pricer.keepPerMentor(found, limit: tuning.perMentorLimit, floor: &floor)
            }
            // Floors under a cut bound nothing the next pass can use.
            memory = cut < 0 ? nil : PricingMemory(potential: potential, floor: floor)
            return found
        }
        let stopNow = { self.shouldStop() || (clock.remaining.map { $0 <= 0 } ?? false) }
        let useScaling = tuning.costScaling
        // Pricing inside the scaling: once ε is within a few points the
        // potentials are nearly final, and the pairs they price in join the
        // next refinement instead of forcing a re-solve after the last.
        var pricedInScaling = 0
        let between: (MinCostFlow.Refinement) -> [MinCostFlow.NewArc] = { [tuning] r in
            guard r.epsilon <= pairGain.pointsScale * Int64(tuning.pricingEpsilonPoints), pricedInScaling < tuning.pricingsInScaling else {
                return []
            }
            pricedInScaling += 1
            let found = priceOut(r.potential, limit: tuning.pricingLimit)
            progress?(
                String(format: "priced in %d pairs at ε = %d (%d mentees' pairs read in %.2f s)", found.count, r.epsilon, menteesRead, pricingSeconds)
            )
            return found.map { pairArc(Int($0.mentee), ($0.mentor, $0.points)) }
        }
        // The last refinements (below a point) are left to primal–dual phases.
        let finishBelow: Int64? = tuning.finishByPhasesBelowPoints.map { pairGain.pointsScale * Int64($0) }
        // A mentee's first place is worth whole units (W · coverage weight), a pair less than one:
        // the scaling starts from the coverage optimum (``MinCostFlow/coarseStart(source:sink:)``)
        // at ε ≈ the points instead of ε ≈ W (``NetworkTuning/coarseStart``).
        let coarse = tuning.coarseStart
        func coldSolve() -> (MinCostFlow.Solution, Bool) {
            guard useScaling else {
                let r = net.solve(source: s, sink: t, stop: stopNow)
                return (r.solution, r.complete)
            }
            var start = coarse ? net.coarseStart(source: s, sink: t) : nil
            // The coverage optimum on the candidates need not be the program's: a pair that
            // gains a whole coverage weight under its potentials would later wait, frozen, for
            // the finishing phases (100k × 25k seed 2: 4,581 such pairs, 586 phases). Priced in
            // now, the coverage problem is solved again with them, at the cost of a max flow.
            var coverageRounds = 0
            // (Flows without points — the fairness search's coverage checks — are all coverage.
            // Not for network first's relaxation: which of its equally good optima the flow ends
            // at decides how the side rules' search goes, and that was measured on 20 seeds at
            // 3k × 1k without this step — with it, seed 17's reduced model no longer closed.)
            while let st = start, pairGain.pointsScale > 0, !relaxSideConstraints, coverageRounds < tuning.coveragePricingRounds, !stopNow() {
                coverageRounds += 1
                let found = priceOut(st.potential, limit: tuning.pricingLimit, cut: -pairGain.pointsScale * Int64(maxPoints))
                progress?(
                    String(
                        format: "coverage: %d pairs gain a whole place (%d mentees' pairs read in %.2f s)",
                        found.count, menteesRead, pricingSeconds))
                // A few such pairs are cheaper to leave to the finishing phases than a max flow.
                if found.count < coverageRepriceMinimum { break }
                for v in found {
                    inSet.insert(MatchInstance.pairKey(Int(v.mentor), Int(v.mentee)))
                    addPairArc(Int(v.mentee), (v.mentor, v.points))
                }
                start = net.coarseStart(source: s, sink: t)
            }
            let r = net.solveByCostScaling(
                source: s, sink: t, warm: start, finishBelow: finishBelow, farViolation: Int64(tuning.farViolation),
                trace: tuning.traceScaling, stop: stopNow, between: between)
            return (r.solution, r.complete)
        }
        var (sol, complete): (MinCostFlow.Solution, Bool)
        if let w = warm?.solution {
            // Same arcs, some gains changed: the old optimum violates only the changed
            // arcs, by little — a few primal–dual phases repair it (a warm cost scaling
            // would sweep every arc in every refinement).
            (sol, complete) = net.reoptimize(source: s, sink: t, from: w, stop: stopNow)
        } else {
            (sol, complete) = coldSolve()
        }
        progress?(
            String(
                format: "flow on %d arcs: %d phases (%.2f s)", net.arcCount, sol.phases,
                Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9))
        var rounds = 1
        while true {
            var chosen = pairArcs.filter { sol.flow[$0.arc] > 0 }.map { (mentor: $0.mentor, mentee: $0.mentee) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            if !complete {
                // Stopped mid-refinement, the pseudo-flow need not be conserved:
                // keep the pairs that fit the places and capacities (a feasible cohort).
                var load = Array(repeating: 0, count: nM), taken = Array(repeating: 0, count: nE)
                var room = Dictionary(uniqueKeysWithValues: layer.nodes.map { ($0.node, $0.room) })
                chosen = chosen.filter { p in
                    guard load[p.mentor] < capacity[p.mentor], taken[p.mentee] < places[p.mentee] else { return false }
                    let node = layer.target(mentor: p.mentor, mentee: p.mentee, mentorBase: mentorNode(0), layerBase: layerBase) - layerBase
                    if node >= 0 {
                        guard room[node, default: 0] > 0 else { return false }
                        room[node, default: 0] -= 1
                    }
                    load[p.mentor] += 1
                    taken[p.mentee] += 1
                    return true
                }
                return Flow(pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: false, seconds: seconds)
            }
            guard net.certifies(sol, source: s, sink: t) else {
                throw SolverFailure(message: "the flow's potentials do not certify its optimality")
            }
            let found = priceOut(sol.potential, limit: tuning.pricingLimit)
            for v in found {
                inSet.insert(MatchInstance.pairKey(Int(v.mentor), Int(v.mentee)))
                addPairArc(Int(v.mentee), (v.mentor, v.points))
            }
            let added = found.count
            let now = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            progress?(
                String(
                    format: "pricing round %d: %d arcs, %d phases; %d pairs priced in, %d mentees' pairs read in %.2f s (%.2f s)",
                    rounds, net.arcCount, sol.phases, added, menteesRead, pricingSeconds, now))
            if added == 0 {
                return Flow(
                    pairs: chosen, rounds: rounds, arcs: net.arcCount, nodes: net.nodeCount, complete: true, seconds: seconds,
                    order: pairArcs.map { (Int32($0.mentee), Int32($0.mentor), $0.points) }, solution: sol)
            }
            rounds += 1
            // A few new arcs: repair the previous optimum in primal–dual phases; many:
            // warm cost scaling (or, without scaling, afresh).
            if useScaling && added > max(tuning.repairLimit, net.arcCount / max(1, tuning.repairArcsPerPair)) {
                let r = net.solveByCostScaling(
                    source: s, sink: t, warm: sol, finishBelow: finishBelow, farViolation: Int64(tuning.farViolation),
                    trace: tuning.traceScaling, stop: stopNow, between: between)
                (sol, complete) = (r.solution, r.complete)
            } else if useScaling || added <= max(200, net.arcCount / 10) {
                (sol, complete) = net.reoptimize(source: s, sink: t, from: sol, stop: stopNow)
            } else {
                (sol, complete) = coldSolve()
            }
        }
    }
}
